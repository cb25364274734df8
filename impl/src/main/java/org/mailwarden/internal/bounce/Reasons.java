package org.mailwarden.internal.bounce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.mailwarden.bounce.BounceReason;

/**
 * Maps what a bounce says to a reason: first status codes whose meaning is unambiguous, then phrases
 * of the diagnostic text in a fixed order (most specific first), then the ambiguous codes, then the
 * class of the failure. The tables are our own, tuned against the Sisimai sample set. What a particular
 * receiving system means by its own words is decided afterwards, by {@link Providers}.
 */
final class Reasons {
  private Reasons() {}

  /** Codes that name one reason whatever the text says. */
  private static final Map<String, BounceReason> DEFINITE = Map.ofEntries(
      Map.entry("5.1.1", BounceReason.USERUNKNOWN), Map.entry("4.1.1", BounceReason.USERUNKNOWN),
      Map.entry("5.1.2", BounceReason.HOSTUNKNOWN), Map.entry("5.1.6", BounceReason.HASMOVED),
      Map.entry("5.1.7", BounceReason.REJECTED), Map.entry("5.1.8", BounceReason.REJECTED),
      Map.entry("4.1.8", BounceReason.REJECTED),
      Map.entry("5.2.2", BounceReason.MAILBOXFULL), Map.entry("4.2.2", BounceReason.MAILBOXFULL),
      Map.entry("5.2.3", BounceReason.EXCEEDLIMIT), Map.entry("5.3.4", BounceReason.MESGTOOBIG),
      Map.entry("5.4.6", BounceReason.NETWORKERROR), Map.entry("4.4.6", BounceReason.NETWORKERROR),
      Map.entry("4.4.5", BounceReason.SYSTEMFULL), Map.entry("4.3.2", BounceReason.TOOMANYCONN),
      Map.entry("5.7.26", BounceReason.AUTHFAILURE), Map.entry("5.7.509", BounceReason.AUTHFAILURE),
      Map.entry("5.7.23", BounceReason.AUTHFAILURE), Map.entry("5.7.24", BounceReason.AUTHFAILURE),
      Map.entry("5.7.25", BounceReason.REQUIREPTR), Map.entry("5.7.13", BounceReason.SUSPEND),
      Map.entry("5.7.9", BounceReason.POLICYVIOLATION), Map.entry("5.7.606", BounceReason.BLOCKED),
      Map.entry("5.7.515", BounceReason.SECURITYERROR), Map.entry("5.7.54", BounceReason.NORELAYING),
      Map.entry("4.7.650", BounceReason.BADREPUTATION), Map.entry("5.7.27", BounceReason.NOTACCEPT),
      Map.entry("5.1.10", BounceReason.USERUNKNOWN), Map.entry("5.4.316", BounceReason.EXPIRED),
      Map.entry("5.4.14", BounceReason.NETWORKERROR), Map.entry("5.4.312", BounceReason.NETWORKERROR),
      Map.entry("5.1.351", BounceReason.USERUNKNOWN), Map.entry("5.7.7", BounceReason.POLICYVIOLATION),
      Map.entry("4.4.7", BounceReason.EXPIRED), Map.entry("4.4.1", BounceReason.EXPIRED),
      Map.entry("4.4.2", BounceReason.EXPIRED), Map.entry("5.4.4", BounceReason.HOSTUNKNOWN),
      Map.entry("5.6.9", BounceReason.CONTENTERROR),
      Map.entry("4.4.3", BounceReason.SYSTEMERROR), Map.entry("5.3.5", BounceReason.SYSTEMERROR),
      Map.entry("4.2.0", BounceReason.SYSTEMERROR), Map.entry("5.7.6", BounceReason.SECURITYERROR));

  /** Codes that suggest a reason when the text names none. */
  private static final Map<String, BounceReason> FALLBACK = Map.ofEntries(
      Map.entry("5.1.0", BounceReason.USERUNKNOWN), Map.entry("5.1.3", BounceReason.USERUNKNOWN),
      Map.entry("5.2.1", BounceReason.SUSPEND), Map.entry("5.2.0", BounceReason.FILTERED),
      Map.entry("5.7.1", BounceReason.BLOCKED), Map.entry("5.7.0", BounceReason.POLICYVIOLATION),
      Map.entry("4.7.1", BounceReason.BLOCKED), Map.entry("4.7.0", BounceReason.BLOCKED),
      Map.entry("5.4.1", BounceReason.USERUNKNOWN), Map.entry("5.3.0", BounceReason.SYSTEMERROR),
      Map.entry("4.3.0", BounceReason.SYSTEMERROR), Map.entry("5.5.0", BounceReason.USERUNKNOWN),
      Map.entry("4.4.0", BounceReason.EXPIRED), Map.entry("4.5.0", BounceReason.EXPIRED),
      Map.entry("5.6.1", BounceReason.SPAMDETECTED), Map.entry("5.6.0", BounceReason.CONTENTERROR), Map.entry("5.3.2", BounceReason.NOTACCEPT),
      Map.entry("4.1.9", BounceReason.EXPIRED), Map.entry("4.2.1", BounceReason.BLOCKED),
      Map.entry("5.4.0", BounceReason.NETWORKERROR), Map.entry("4.0.0", BounceReason.EXPIRED));

  /** Phrases of diagnostic text, lower case, in the order they are tried. */
  private static final List<Map.Entry<BounceReason, String[]>> PHRASES = List.copyOf(phrases());

  /** Phrases specific enough to win over the status code, tried first. */
  private static final List<Map.Entry<BounceReason, String[]>> DECISIVE = List.of(
      // Exchange 2000/2003's text for X.2.3 ("This message is larger than the current system limit or the
      // recipient's mailbox is full"): the size is what the code says, the mailbox is the hedge
      Map.entry(BounceReason.MESGTOOBIG, new String[] {"larger than the current system limit"}),
      Map.entry(BounceReason.MAILBOXFULL, new String[] {"over quota", "mailbox full", "mailbox is full",
          "quota exceeded", "exceeds allowed size", "overquota"}),
      Map.entry(BounceReason.MAILERERROR, new String[] {"procmail", "mailer error", "x-unix;"}),
      Map.entry(BounceReason.SPAMDETECTED, new String[] {"spam detected", "blacklisted url", "spam classification",
          "scored as spam"}),
      Map.entry(BounceReason.NOTCOMPLIANTRFC, new String[] {"rfc 5322 compliant", "multiple addresses in from",
          "duplicate header", "multiple subject"}),
      Map.entry(BounceReason.AUTHFAILURE, new String[] {"unauthenticated email", "authentication information",
          "fails to pass authentication"}),
      Map.entry(BounceReason.POLICYVIOLATION, new String[] {"policy violation", "content presents a potential"}),
      // a content filter that refuses an attachment for its type or name: the message is refused (words
      // such as "blocked" in the same sentence do not make it a block of the sender)
      Map.entry(BounceReason.CONTENTERROR, new String[] {"attachment of a type", "attachment type",
          "type of attachment", "forbidden attachment", "prohibited attachment", "blocked attachment"}),
      Map.entry(BounceReason.BADREPUTATION, new String[] {"user complaints"}),
      Map.entry(BounceReason.REJECTED, new String[] {"sender was rejected", "not have permission to post", "address that has been blacklisted",
          "purported responsible address",
          // GoDaddy (secureserver.net) IB506: the From header's domain is invalid, the sender is refused
          "from: domain is invalid"}),
      Map.entry(BounceReason.HOSTUNKNOWN, new String[] {"host or domain name not found", "host unknown (authoritative",
          // cPanel's Exim text for a recipient it could not route: the account or domain is missing (it
          // goes on to guess at blocklists and DNS, which is why this is tried before "blacklisted")
          "the account or domain may not exist"}),
      // Postfix's bounce(8) writes this when the delivery log of the message is gone: nothing says why
      Map.entry(BounceReason.UNDEFINED, new String[] {"delivery report unavailable"}),
      Map.entry(BounceReason.BLOCKED, new String[] {"blacklisted", "not accepting connections", "refused to talk to me", "client host blocked", "spamhaus",
          "service refuse",
          "invalid ip for sending", "(bl)", "my name was rejected", "connection reset by peer",
          "remote protocol error"}),
      Map.entry(BounceReason.REQUIREPTR, new String[] {"mismatches client ip", "reverse dns",
          // the sender's domain does not resolve to the connecting address ("example.com is not
          // 192.0.2.1"): the client's identity in DNS failed, as with a missing PTR
          "unverifyable sending ip", "unverifiable sending ip"}),
      Map.entry(BounceReason.SPEEDING, new String[] {"recipients this hour", "messages this hour",
          "at a rate that prevents"}),
      Map.entry(BounceReason.TOOMANYCONN, new String[] {"frequency limited", "too many recipients"}),
      Map.entry(BounceReason.SUSPEND, new String[] {"temporary locked", "temporarily locked",
          "disabled recipient", "account disabled", "account has been disabled", "account is blocked",
          "mailbox is frozen", "is disabled"}),
      Map.entry(BounceReason.NOTACCEPT, new String[] {"not accepting network messages", "no mx found",
          "indicated no smtp service",
          "does not accept mail", "couldn't find a mail exchanger", "null mx"}),
      Map.entry(BounceReason.SECURITYERROR, new String[] {"delivery not authorized", "turn on smtp authentication",
          "unauthenticated senders not allowed"}),
      Map.entry(BounceReason.SYSTEMERROR, new String[] {"internal system error", "transaction failed"}),
      Map.entry(BounceReason.FILTERED, new String[] {"recipient preferences"}),
      Map.entry(BounceReason.NETWORKERROR, new String[] {"name service error", "malformed or unexpected name server",
          "lost connection with", "host name lookup failure", "no route to host", "able to establish an smtp connection"}),
      Map.entry(BounceReason.FAILEDSTARTTLS, new String[] {"does not support tls", "starttls failed"}),
      Map.entry(BounceReason.HASMOVED, new String[] {"has moved", "no forwarding address"}),
      Map.entry(BounceReason.EXCEEDLIMIT, new String[] {"exceeds administrative limit"}),
      Map.entry(BounceReason.VIRUSDETECTED, new String[] {"virus detected"}),
      Map.entry(BounceReason.CONTENTERROR, new String[] {"media error"}),
      Map.entry(BounceReason.ONHOLD, new String[] {"on hold"}),
      Map.entry(BounceReason.SYNTAXERROR, new String[] {"malformed address", "sequence of commands", "command parameter not implemented"}));

  private static List<Map.Entry<BounceReason, String[]>> phrases() {
    List<Map.Entry<BounceReason, String[]>> all = new ArrayList<>();
    put(all, BounceReason.EXPIRED, "did not accept our requests to connect");
    put(all, BounceReason.NETWORKERROR, "name service error",
        "network error", "lost connection", "hop count exceeded", "routing loop");
    put(all, BounceReason.MAILBOXFULL, "exceeds allowed size", "mailbox full", "mailbox is full", "mailbox is over", "over quota",
        "overquota", "quota exceeded", "exceeded storage", "exceeds storage", "mailbox size limit",
        "account is full", "too much mail", "mail box full", "user is over", "exceeded his quota",
        "exceeded the quota", "quota exceed", "mailfolder is full", "disk quota", "mailbox has exceeded",
        "not enough space", "insufficient disk space on", "full mailbox", "storage quota",
        "recipient's mailbox is full", "mailbox exceeded", "exceeds its quota", "over its quota",
        "inbox is full", "inbox full", "out of storage",
        // Domino "the recipient's mail database has exceeded its quota"; Postfix local(8) when the mailbox
        // file reached mailbox_size_limit ("cannot update mailbox ... error writing message: File too large")
        "exceeded its quota", "error writing message: file too large",
        // "Message would exceed quota for the mailbox", "mailbox quota would be exceeded"
        "quota for the mailbox", "mailbox quota");
    // the same in the languages of localised notices: German, French, Spanish, Italian, Dutch,
    // Portuguese, Japanese ("the capacity is full", "capacity exceeded")
    put(all, BounceReason.MAILBOXFULL, "postfach ist voll", "postfach des empf\u00e4ngers ist voll", "postfach voll",
        "speicherplatz des postfachs", "bo\u00eete aux lettres pleine", "boite aux lettres pleine", "bo\u00eete aux lettres du destinataire est pleine",
        "boite pleine", "bo\u00eete pleine", "quota d\u00e9pass\u00e9", "buz\u00f3n lleno", "buz\u00f3n est\u00e1 lleno",
        "buz\u00f3n del destinatario est\u00e1 lleno", "casella piena", "casella di posta piena", "mailbox is vol",
        "mailbox van de ontvanger is vol", "postbus is vol", "caixa postal cheia", "caixa de correio cheia",
        "caixa postal do destinat\u00e1rio est\u00e1 cheia", "\u5bb9\u91cf\u304c\u3044\u3063\u3071\u3044",
        "\u5bb9\u91cf\u3092\u8d85\u3048", "\u5bb9\u91cf\u30aa\u30fc\u30d0\u30fc");
    put(all, BounceReason.MESGTOOBIG, "message too large", "message too big", "message is too large",
        "message is too big", "message size exceeds", "message exceeds", "size limit",
        "message file too big", "exceeds the maximum message size", "mail size limit", "too large for",
        // RFC 5321 4.5.3.1.6: a text line longer than the server takes is refused as too much data
        "line limit exceeded", "line too long",
        // "552 Message is bigger than this server accepts"; an X.400 gateway's diagnostic content-too-long
        // (RFC 2156 maps it to X.3.4)
        "bigger than", "content too long", "content-too-long");
    put(all, BounceReason.EXCEEDLIMIT, "exceeds size limit", "message too long", "too many recipients");
    put(all, BounceReason.SUSPEND, "suspended", "account disabled", "account has been disabled",
        "mailbox disabled", "mailbox is disabled", "is disabled", "has been disabled", "deactivated",
        "inactive", "is not active", "account expired", "mailbox unavailable or inactive",
        "account is locked", "currently suspended", "temporarily disabled", "been frozen",
        "blocked by owner", "is no longer active",
        // a mailbox its owner or administrator locked, an account whose term ran out
        "mailbox locked", "mailbox is locked", "account locked", "account is expired", "account has expired");
    put(all, BounceReason.HASMOVED, "has moved", "has been moved", "moved to");
    put(all, BounceReason.NORELAYING, "configured to relay", "address is not verified", "relay access denied", "relaying denied", "not permitted to relay",
        "relay not permitted", "unable to relay", "relaying not allowed", "we do not relay",
        "relay denied", "not allowed to relay", "relaying disallowed", "no relaying", "relay prohibited",
        "not a gateway", "relaying mail to", "is not permitted to relay", "relay attempt");
    put(all, BounceReason.AUTHFAILURE, "dmarc", "spf check", "spf fail", "spf validation", "spf record",
        "spf)", "sender policy framework", "dkim", "domainkeys", "sender-id", "senderid", "spf ",
        "failed spf", "did not pass spf");
    put(all, BounceReason.REQUIREPTR, "reverse dns", "ptr record", "no ptr", "reverse lookup", "rdns",
        "cannot find your hostname", "cannot find your reverse", "reverse hostname", "dns ptr",
        "unresolvable", "no reverse", "hostname lookup failed", "client host rejected: cannot find",
        "not have a ptr", "reverse dns", "ip name lookup failed", "invalid ptr");
    put(all, BounceReason.NOTACCEPT, "does not accept mail", "null mx", "accepts no mail", "not accept any mail",
        "no mx record", "domain does not accept");
    put(all, BounceReason.HOSTUNKNOWN, "domain is not reachable", "host unknown", "unknown host", "domain not found", "no such domain",
        "host not found", "domain does not exist", "host or domain name not found", "unknown domain",
        "nxdomain", "domain name not found", "unrouteable address", "unrouteable mail domain",
        "bad destination system", "no such host", "hostname not found", "domain unknown",
        // Exim's "No MX or A records for x", and the other spellings of "unrouteable"
        "no mx or a record", "unrouteable domain", "unroutable domain", "unroutable address",
        "dns lookup failure", "name or service not known", "invalid domain",
        // qmail "Sorry, I couldn't find any host named x. (#5.1.2)"; Exchange's
        // "SMTPSEND.DNS.NonExistentDomain"; Exim's "all relevant MX records point to non-existent hosts"
        "couldn't find any host named", "could not find any host named", "nonexistentdomain",
        // Netscape/iPlanet/Sun Messaging Server's reason for a recipient domain it cannot resolve
        "illegal host/domain name",
        // Exchange 2000/2003's text for its 5.4.0: "The destination server for this recipient could not
        // be found in Domain Name Service (DNS)"
        "could not be found in domain name service",
        "nonexistent domain", "non-existent domain", "point to non-existent hosts");
    put(all, BounceReason.USERUNKNOWN, "user unknown", "unknown user", "no such user", "no such mailbox",
        "does not exist", "recipient not found", "user not found", "unknown recipient",
        "invalid recipient", "recipient unknown", "mailbox not found", "no mailbox", "not a valid mailbox",
        "unknown address", "no such recipient", "addressee unknown", "invalid mailbox",
        "unrouteable address", "doesn't exist", "no such address", "doesn't have a", "unknown local part",
        "not listed in", "user doesn't", "recipnotfound", "recipientnotfound", "invalid address",
        "no account", "not our customer", "mailbox unavailable", "address unknown", "bad recipient",
        "unknown mailbox", "mailbox does not", "user invalid", "no valid recipients",
        "is not a valid", "unknown or illegal alias", "no such local user", "bad address", "user missing", "not found", "mailbox is unavailable", "unknown e-mail address",
        "destination addresses were unknown", "no longer", "user not exist", "recipient not exist");
    put(all, BounceReason.BADREPUTATION, "reputation", "low sender score", "poor sending");
    put(all, BounceReason.SPAMDETECTED, "spam", "junk mail", "unsolicited", "bulk mail", "message content rejected",
        "rejected as spam", "considered as spam", "looks like spam");
    put(all, BounceReason.VIRUSDETECTED, "virus", "malware", "infected", "phishing");
    put(all, BounceReason.BLOCKED, "blocked", "blacklist", "blocklist", "black list", "spamhaus", "listed in",
        "rbl", "dnsbl", "banned", "denied access", "client host rejected", "refused to talk", "block list", "smtp server of your isp",
        "ip address", "your ip", "connection rejected", "dynamic ip", "not allowed to send");
    put(all, BounceReason.SECURITYERROR, "starttls", "tls required", "encryption required", "must use tls",
        "authentication required", "certificate", "must issue a", "authentication is required",
        "secure connection", "tls ");
    put(all, BounceReason.NOTCOMPLIANTRFC, "rfc 5322", "rfc5322", "rfc 2822", "rfc2822", "rfc 822 ", "not rfc822",
        "multiple from", "duplicate header", "not compliant", "headers were not", "header is",
        "invalid header", "malformed");
    put(all, BounceReason.POLICYVIOLATION, "policy", "prohibited", "violat", "not permitted", "not allowed");
    put(all, BounceReason.REJECTED, "access denied", "sender rejected", "sender address rejected", "domain of sender",
        "sender verify failed", "from address", "mail from", "envelope sender", "sender domain",
        "sender is", "address verification", "sender not", "sender unknown", "refused", "rejected");
    put(all, BounceReason.FILTERED, "filtered", "filter", "denied", "recipient refuses", "does not accept");
    put(all, BounceReason.TOOMANYCONN, "too many connections", "too many concurrent", "connection limit",
        "too many simultaneous");
    put(all, BounceReason.SPEEDING, "rate limit", "too many messages", "sending rate", "rate exceeded",
        "ratelimit", "slow down", "too fast");
    put(all, BounceReason.SYSTEMFULL, "insufficient system storage", "out of disk", "disk full", "no space left");
    put(all, BounceReason.SYSTEMERROR, "currently unavailable", "system error", "internal error", "local error", "server error",
        "system is not", "temporary failure", "temporarily unavailable", "local configuration",
        "system config", "i/o error", "write error", "try again later", "service unavailable",
        // the server could not load its own data (configuration, routing tables) for the domain
        "could not load");
    put(all, BounceReason.MAILERERROR, "mailer error", "command failed", "procmail", "x-unix", "pipe to",
        "exit code", "command output", "mail loop");
    // a host that never answered until the message gave up: the time ran out, whatever the network did
    put(all, BounceReason.EXPIRED, "connection timed out", "operation timed out", "failing for a long time",
        "not delivered within", "host not reachable");
    put(all, BounceReason.NETWORKERROR, "connection timed out", "connection refused", "could not connect",
        "no route to host", "network is unreachable", "lost connection", "loop detected", "too many hops",
        "mail loops", "connection reset", "routing loop", "dns", "timed out", "unreachable");
    put(all, BounceReason.EXPIRED, "retry time", "expired", "delivery time", "could not be delivered for",
        "giving up", "retry timeout", "aborted after", "has been delayed", "message delayed", "too long", "delayed",
        "not yet been delivered", "will retry", "queue");
    put(all, BounceReason.CONTENTERROR, "content", "attachment", "mime");
    put(all, BounceReason.SYNTAXERROR, "syntax error", "command unrecognized", "command not recognized",
        "unrecognized command");
    put(all, BounceReason.SUPPRESSED, "suppression list", "suppressed");
    put(all, BounceReason.USERUNKNOWN, "unknown", "invalid", "not found", "recipient rejected");
    return all;
  }

  private static void put(List<Map.Entry<BounceReason, String[]>> all, BounceReason reason, String... phrases) {
    all.add(Map.entry(reason, phrases));
  }

  /** Returns the reason for one failed recipient. */
  static BounceReason classify(String action, String status, int reply, String diagnostic) {
    return classify(action, status, reply, diagnostic, Command.NONE);
  }

  /** The SMTP command a failure answered, as far as the bounce tells. */
  enum Command { NONE, CONNECT, MAIL, RCPT, DATA }

  /** Returns the last SMTP command the text mentions, or NONE. */
  static Command command(String text) {
    String d = Codes.cap(text).toLowerCase(Locale.ROOT);
    Command best = Command.NONE;
    int at = -1;
    String[][] table = {
        {"DATA", "end of data", ">>> data", "final data", "command data", "after data", "reply to data",
            "data command", "did not like our data"},
        {"RCPT", "rcpt to", ">>> rcpt", "rcpt command", "after rcpt", "rcpt_to", "smtp:rcpt",
            "does not like recipient"},
        {"MAIL", "mail from", ">>> mail", "after mail"},
        {"CONNECT", "initial connection", "helo", "ehlo", "greeting"}};
    for (String[] row : table) {
      for (int i = 1; i < row.length; i++) {
        int k = d.lastIndexOf(row[i]);
        if (k > at) {
          at = k;
          best = Command.valueOf(row[0]);
        }
      }
    }
    return best;
  }

  /**
   * Returns the SMTP command a notice's summary says all its failures answered, or NONE: "Each of the
   * following recipients was rejected by a remote mail server" (the notices signed "Mail
   * Administrator") says the server refused recipients, as opposed to the message, which happens at RCPT.
   */
  static Command summaryCommand(String explanation) {
    String d = Codes.cap(explanation).toLowerCase(Locale.ROOT);
    for (String w : new String[] {"recipients was rejected by", "recipient was rejected by",
        "recipients were rejected by"}) {
      if (d.contains(w)) {
        return Command.RCPT;
      }
    }
    return Command.NONE;
  }

  /** Returns the reason for one failed recipient, given the SMTP command the failure answered. */
  static BounceReason classify(String action, String status, int reply, String diagnostic, Command command) {
    return classify(action, status, reply, diagnostic, command, Command.NONE);
  }

  /**
   * Returns the reason for one failed recipient.
   *
   * @param command the SMTP command the diagnostic itself names
   * @param around the SMTP command the text around the recipient names (a transcript, a summary)
   */
  static BounceReason classify(String action, String status, int reply, String text, Command command,
      Command around) {
    String diagnostic = words(text);
    BounceReason r = classify0(action, status, reply, diagnostic);
    if (r == BounceReason.USERUNKNOWN && DEFINITE.get(status) == null && command != Command.MAIL
        && around != Command.MAIL && DOMAIN_MISSING.matcher(lower(diagnostic)).find()) {
      // "example.org does not exist": what is missing is a domain, not a mailbox in it (at MAIL FROM it
      // is the sender's domain, which the rules below make "rejected")
      r = BounceReason.HOSTUNKNOWN;
    }
    if ((r == BounceReason.ONHOLD || r == BounceReason.SYSTEMERROR) && RETRIES_EXHAUSTED.matcher(lower(diagnostic)).find()) {
      // "delivery failed 20 attempts": the sending MTA retried until its queue lifetime ran out
      r = BounceReason.EXPIRED;
    }
    boolean temporary = status.startsWith("4") || reply / 100 == 4;
    if (r == BounceReason.HOSTUNKNOWN && temporary) {
      // a name that did not resolve this time is a network error until it fails for good
      return BounceReason.NETWORKERROR;
    }
    if ((r == BounceReason.REJECTED || r == BounceReason.ONHOLD)
        && (command == Command.CONNECT || command == Command.NONE && around == Command.CONNECT)) {
      // refused before any address was given: the client itself (its address, its name) was refused
      return BounceReason.BLOCKED;
    }
    if (r == BounceReason.REJECTED && status.contains(".1.") && FALLBACK.get(status) == BounceReason.USERUNKNOWN
        && command != Command.MAIL && around != Command.MAIL
        && !diagnostic.toLowerCase(Locale.ROOT).contains("sender")) {
      // an address status code (X.1.x) with no more than "rejected": the code says which address
      return BounceReason.USERUNKNOWN;
    }
    if (r == BounceReason.USERUNKNOWN && DEFINITE.get(status) != BounceReason.USERUNKNOWN
        && match(diagnostic, MAILBOX_STORE) == null) {
      if (command == Command.NONE && around == Command.NONE && Codes.isGeneric(status)
          && match(diagnostic, MAILBOX_LOOKUP) != null) {
        return BounceReason.USERUNKNOWN;
      }
      return unknownUser(command, around);
    }
    return r;
  }

  /** A domain name (no local part before it) said not to exist. */
  private static final Pattern DOMAIN_MISSING = Pattern.compile(
      "(?<![@\\w.-])(?:[a-z0-9-]{1,63}\\.){1,8}[a-z]{2,24}>?:? (?:does not exist|doesn't exist)");

  /** A count of delivery attempts after which the sending MTA gave up. */
  private static final Pattern RETRIES_EXHAUSTED = Pattern.compile(
      "(?:failed|after|giving up after) \\d{1,4} (?:delivery |retry )?attempts");

  private static String lower(String s) {
    return (s.length() > PHRASE_SCAN ? s.substring(0, PHRASE_SCAN) : s).toLowerCase(Locale.ROOT);
  }

  /**
   * Words of the server that keeps the mailboxes (a local delivery agent, a groupware directory, a
   * provider's own mailbox lookup): when it says the user does not exist, it knows.
   */
  private static final List<Map.Entry<BounceReason, String[]>> MAILBOX_STORE = List.of(
      Map.entry(BounceReason.USERUNKNOWN, new String[] {"mail.local: unknown user", "not listed in domino directory",
          "recipient name is not recognized", "invalid final delivery userid", "delivery error: dd this user doesn't",
          "unknown user: ", "address couldn't be found", "check if address is correct",
          "address is possibly incorrect", "adresse destinataire invalide", "recipient address rejected: access denied",
          "recipient address rejected.", "not listed in public name",
          // Verizon Wireless's MMS gateway (vzwpix.com) owns the phone-number mailboxes it refuses
          "no valid recipients for this mm",
          // qmail-local's answer for a local part it has no mailbox for; Exchange's directory lookup
          "no mailbox here by that name", "resolver.adr.recipnotfound", "resolver.adr.recipientnotfound",
          // Exim's router for a local domain ("Unknown local-part \"x\" in domain \"y\""); CommuniGate Pro's
          // LOCAL module ("unknown user account")
          "unknown local-part", "unknown user account",
          // Novell GroupWise's Internet Agent lists each address with its post office's verdict in
          // parentheses; CompuServe's own directory; an X.400 gateway's diagnostic unrecognised-OR-name
          // (the destination directory has no such name; RFC 2156 maps it to X.1.1)
          "(user not found)", "receiver not found", "unrecognized o/r name", "unrecognised o/r name",
          // notices written in the sender's language by the system that keeps the mailbox (a reply relayed
          // from another server is quoted in English): German, French, Spanish, Italian, Dutch, Portuguese,
          // Japanese ("the specified user does not exist")
          "empf\u00e4nger unbekannt", "benutzer unbekannt", "unbekannter benutzer", "unbekannter empf\u00e4nger",
          "utilisateur inconnu", "destinataire inconnu", "adresse inconnue",
          "usuario desconocido", "destinatario desconocido", "utente sconosciuto", "utente inesistente",
          "destinatario sconosciuto", "onbekende gebruiker", "onbekende ontvanger", "usu\u00e1rio desconhecido",
          "utilizador desconhecido", "destinat\u00e1rio desconhecido",
          "\u30e6\u30fc\u30b6\u30fc\u306f\u5b58\u5728\u3057\u307e\u305b\u3093", "\u30e6\u30fc\u30b6\u306f\u5b58\u5728\u3057\u307e\u305b\u3093",
          "\u5b58\u5728\u3057\u306a\u3044\u30e6\u30fc\u30b6"}));

  /**
   * Wordings that name the recipient's mailbox as looked up and not found. A bounce that names no
   * SMTP step and gives no more precise code than X.0.0 is read by them as {@code userunknown}: they
   * are what a server answers when it resolves the address (RFC 5321 section 3.3 lets it refuse the
   * RCPT), not the "user unknown" that a filtering appliance in front of a server gives to a message it
   * refuses after DATA, which stays {@code filtered} below.
   */
  private static final List<Map.Entry<BounceReason, String[]>> MAILBOX_LOOKUP = List.of(
      Map.entry(BounceReason.USERUNKNOWN, new String[] {"no such recipient", "invalid recipient",
          "recipient unknown", "unknown recipient", "recipient does not exist", "bad recipient",
          "mailbox not found", "no such mailbox", "mailbox does not exist", "no mailbox",
          "address does not exist", "unknown address"}));

  /**
   * A text that says "no such user" without a status code that says so (X.1.1) is only believed when
   * the refusal answered RCPT TO: that is the moment a server knows whether a mailbox exists. Refused at
   * MAIL FROM it is about the sender; after DATA, or at a point the bounce does not name, the server (or
   * a filter in front of it) refused the message, so the address is not known to be bad.
   */
  private static BounceReason unknownUser(Command command, Command around) {
    Command c = command != Command.NONE ? command : around;
    if (c == Command.RCPT) {
      return BounceReason.USERUNKNOWN;
    }
    if (c == Command.MAIL) {
      return BounceReason.REJECTED;
    }
    // after DATA, with a policy code (X.7.x), with X.2.1 (mailbox disabled: it exists but does not take
    // this message) or at a point the bounce does not name: the message was refused, not the address
    return BounceReason.FILTERED;
  }

  private static BounceReason classify0(String action, String status, int reply, String diagnostic) {
    String a = action.toLowerCase(Locale.ROOT);
    if (a.startsWith("delivered") || a.startsWith("expanded") || a.startsWith("relayed")
        || status.startsWith("2.")) {
      return BounceReason.DELIVERED;
    }
    BounceReason decisive = match(diagnostic, DECISIVE);
    if (decisive != null) {
      return decisive;
    }
    BounceReason definite = DEFINITE.get(status);
    if (definite != null) {
      return definite;
    }
    if (match(diagnostic, MAILBOX_STORE) != null) {
      return BounceReason.USERUNKNOWN;
    }
    BounceReason text = byText(diagnostic);
    if (text != null) {
      return text;
    }
    BounceReason fallback = FALLBACK.get(status);
    if (fallback != null) {
      return fallback;
    }
    if (a.startsWith("delayed") || status.startsWith("4.") || reply / 100 == 4) {
      return BounceReason.EXPIRED;
    }
    return BounceReason.ONHOLD;
  }

  static BounceReason byText(String diagnostic) {
    return match(diagnostic, PHRASES);
  }

  /**
   * The diagnostic without the reply codes that a multi-line SMTP reply repeats on each line ("550-5.7.1
   * Messages with multiple 550-5.7.1 addresses ..."), so that phrases broken over lines match again.
   */
  static String words(String diagnostic) {
    String d = diagnostic.length() > PHRASE_SCAN ? diagnostic.substring(0, PHRASE_SCAN) : diagnostic;
    StringBuilder out = null;
    int n = d.length();
    int i = 0;
    while (i < n) {
      int skip = 0;
      if ((i == 0 || d.charAt(i - 1) == ' ') && i + 4 < n && isReplyStart(d, i)) {
        char sep = d.charAt(i + 3);
        int code = statusLength(d, i + 4);
        if (sep == '-') {
          skip = 4 + code;
        } else if (sep == ' ' && code > 0) {
          skip = 4 + code;
        }
        if (skip > 0 && i + skip < n && d.charAt(i + skip) == ' ') {
          skip++;
        }
      }
      if (skip > 0) {
        if (out == null) {
          out = new StringBuilder(n).append(d, 0, i);
        }
        i += skip;
      } else {
        if (out != null) {
          out.append(d.charAt(i));
        }
        i++;
      }
    }
    return out == null ? d : out.toString();
  }

  private static boolean isReplyStart(String d, int i) {
    char c = d.charAt(i);
    return (c == '2' || c == '4' || c == '5') && Character.isDigit(d.charAt(i + 1))
        && Character.isDigit(d.charAt(i + 2));
  }

  /** Length of an enhanced status code (d.d{1,3}.d{1,3}) at {@code i}, else 0. */
  private static int statusLength(String d, int i) {
    int n = d.length();
    if (i + 4 >= n || !Character.isDigit(d.charAt(i)) || d.charAt(i + 1) != '.') {
      return 0;
    }
    int j = i + 2;
    int k = j;
    while (k < n && k - j < 3 && Character.isDigit(d.charAt(k))) {
      k++;
    }
    if (k == j || k >= n || d.charAt(k) != '.') {
      return 0;
    }
    int m = k + 1;
    int e = m;
    while (e < n && e - m < 3 && Character.isDigit(d.charAt(e))) {
      e++;
    }
    return e == m ? 0 : e - i;
  }

  /** Diagnostic text scanned for phrases: the server's words come first, boilerplate follows. */
  private static final int PHRASE_SCAN = 2048;

  private static BounceReason match(String diagnostic, List<Map.Entry<BounceReason, String[]>> table) {
    String d = (diagnostic.length() > PHRASE_SCAN ? diagnostic.substring(0, PHRASE_SCAN) : diagnostic)
        .toLowerCase(Locale.ROOT);
    if (d.isBlank()) {
      return null;
    }
    for (Map.Entry<BounceReason, String[]> e : table) {
      for (String p : e.getValue()) {
        if (d.contains(p)) {
          return e.getKey();
        }
      }
    }
    return null;
  }
}
