package org.mailwarden.bounce.parser;

import org.mailwarden.bounce.BounceReason;
import org.mailwarden.bounce.BouncedRecipient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mailwarden.bounce.parser.BuiltBouncesTest.only;
import static org.mailwarden.bounce.parser.BuiltBouncesTest.parse;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A mailing-list manager's refusal of a posting names the list the sender mailed, and an mbox file
 * (RFC 4155) that holds several bounces gives the records of each. Messages written here with made-up
 * names.
 */
class ListNoticesAndMboxTest {

  @Test
  void aListManagerThatRefusesANonMemberReportsTheListAddressAsRejectedNotHard() {
    BouncedRecipient b = only("""
        From: announce-admin@lists.example.org
        To: app@shop.example.com
        Subject: Posting refused: you are not a member (announce)
        X-MLServer: fml [fml 4.0]
        Message-ID: <notice-1@lists.example.org>
        References: <post-1@shop.example.com>

        You are not a member of this mailing list <announce@lists.example.org>.
        Send "guide" to announce-ctl@lists.example.org for how to join.
        """);

    assertThat(b.recipient()).isEqualTo("announce@lists.example.org");
    assertThat(b.reason()).isEqualTo(BounceReason.REJECTED);
    assertThat(b.hard()).isFalse();
    assertThat(b.messageId()).isEqualTo("post-1@shop.example.com");
  }

  @Test
  void aListLoopAlertIsASystemErrorOfTheListNamedInTheNotice() {
    BouncedRecipient b = only("""
        From: staff-owner@lists.example.net
        To: staff-owner@lists.example.net
        Subject: Loop Alert: Duplicated Message-ID (staff ML)
        Mailing-List: contact staff-help@lists.example.net

        Duplicated Message-ID in <staff@lists.example.net>.
        """);

    assertThat(b.recipient()).isEqualTo("staff@lists.example.net");
    assertThat(b.reason()).isEqualTo(BounceReason.SYSTEMERROR);
    assertThat(b.hard()).isFalse();
  }

  @Test
  void aPostingHeldForTheModeratorIsNotARefusal() {
    List<BouncedRecipient> records = parse("""
        From: team-owner@lists.example.org
        To: app@shop.example.com
        Subject: Your message to Team awaits moderator approval
        List-Id: <team.lists.example.org>

        Your mail to 'Team' <team@lists.example.org> is being held until the list moderator can
        review it for approval. The reason it is being held: post by non-member to a members-only list.
        """);

    assertThat(records).noneMatch(r -> r.reason() == BounceReason.REJECTED || r.hard());
  }

  @Test
  void aMembersPostingThatTalksAboutMembershipIsNotANotice() {
    List<BouncedRecipient> records = parse("""
        From: Ann Example <ann@example.com>
        To: club@lists.example.org
        Subject: Re: you are not a member until you pay
        List-Id: <club.lists.example.org>
        List-Post: <mailto:club@lists.example.org>

        I was told I am not a member until the fee is paid; is that right? <club@lists.example.org>
        """);

    assertThat(records).isEmpty();
  }

  @Test
  void everyBounceOfAnMboxFileIsRead() {
    List<BouncedRecipient> records = parse(mboxBounce("ann@example.org", "550 5.1.1")
        + "\n" + mboxBounce("bob@example.net", "552 5.2.2"));

    assertThat(records).extracting(BouncedRecipient::recipient).containsExactly("ann@example.org", "bob@example.net");
    assertThat(records).extracting(BouncedRecipient::reason)
        .containsExactly(BounceReason.USERUNKNOWN, BounceReason.MAILBOXFULL);
  }

  @Test
  void aFromLineInsideABodyThatIsNotFollowedByAHeaderDoesNotCutTheMessage() {
    String one = mboxBounce("ann@example.org", "550 5.1.1").replace("Your order",
        "Your order\n\nFrom the shop, with thanks\nsee you soon");

    assertThat(parse(one)).extracting(BouncedRecipient::recipient).containsExactly("ann@example.org");
  }

  private static String mboxBounce(String rcpt, String reply) {
    String status = reply.substring(4);
    return """
        From MAILER-DAEMON Sat Dec  5 09:00:00 2026
        From: Mail Delivery System <MAILER-DAEMON@relay.example.net>
        To: app@shop.example.com
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

        --b1
        Content-Type: text/plain

        Your message could not be delivered.

        --b1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; relay.example.net

        Final-Recipient: rfc822; %s
        Action: failed
        Status: %s
        Diagnostic-Code: smtp; %s mailbox problem

        --b1
        Content-Type: text/rfc822-headers

        From: app@shop.example.com
        To: %s
        Subject: Your order

        --b1--
        """.formatted(rcpt, status, reply, rcpt);
  }
}
