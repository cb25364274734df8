package org.mailwarden.internal.policy;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mailwarden.RecipientReason;
import org.mailwarden.RecipientRejectedException;
import org.mailwarden.RejectedRecipient;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.config.DnsSettings.OnFailure;
import org.mailwarden.internal.config.MailwardenConfig.OnInvalid;
import org.mailwarden.internal.dns.DomainVerdict;
import org.mailwarden.internal.dns.MxChecker;

/**
 * {@code recipients.check-mx=true}: refuses recipients whose domain cannot receive mail, as DNS says
 * (see {@link MxChecker}). Runs after {@link RecipientPolicy}, so every address it sees is
 * well-formed; each distinct domain of a message is looked up once, all of them at the same time.
 * Address literals ({@code recipients.syntax=lenient}) name no domain and are not checked.
 *
 * <p>A null MX or no mail server refuses with {@code no-mail-server}, NXDOMAIN with
 * {@code no-such-domain}; a DNS failure sends anyway ({@code dns.on-failure=send}, the checker logs a
 * warning) or refuses with {@code dns-unavailable}. Refused recipients follow
 * {@code recipients.on-invalid} like every recipient refusal.
 */
public final class MxPolicy implements Policy {
  /** Extra wait over the lookup budget, so a lookup that just completes is not cut off. */
  private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final MxChecker checker;
  private final OnInvalid onInvalid;
  private final OnFailure onFailure;
  private final long waitNanos;
  private final java.util.function.LongSupplier nanoTime;

  /** @param nanoTime the monotonic time the wait for DNS answers is bounded in */
  public MxPolicy(MxChecker checker, OnInvalid onInvalid, java.util.function.LongSupplier nanoTime) {
    this.nanoTime = java.util.Objects.requireNonNull(nanoTime, "nanoTime");
    this.checker = checker;
    this.onInvalid = onInvalid;
    this.onFailure = checker.settings().onFailure();
    this.waitNanos = checker.settings().budget().toNanos() + SLACK_NANOS;
  }

  @Override
  public String name() {
    return "mx";
  }

  @Override
  public Delivered intercept(Chain chain) throws MessagingException {
    Outgoing outgoing = chain.outgoing();
    List<InternetAddress> recipients = outgoing.recipients();
    int n = recipients.size();
    String[] domains = new String[n];
    List<CompletableFuture<DomainVerdict>> pending = new ArrayList<>(n);
    // every distinct domain is asked first, so their lookups run at the same time
    Map<String, CompletableFuture<DomainVerdict>> byDomain = n > 8 ? new HashMap<>() : null;
    for (int i = 0; i < n; i++) {
      domains[i] = domainOf(recipients.get(i));
      pending.add(domains[i] == null ? null : earlierOrNew(domains, i, pending, byDomain));
    }
    long deadline = nanoTime.getAsLong() + waitNanos;
    List<RejectedRecipient> rejected = null;
    boolean[] refused = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (domains[i] == null) {
        continue;
      }
      DomainVerdict verdict = await(domains[i], pending.get(i), deadline, outgoing);
      RecipientReason reason = refusal(verdict);
      if (reason != null) {
        if (rejected == null) {
          rejected = new ArrayList<>();
        }
        rejected.add(new RejectedRecipient(recipients.get(i), reason, verdict.detail()));
        refused[i] = true;
      }
    }
    if (rejected == null) {
      return chain.proceed(outgoing);
    }
    List<InternetAddress> valid = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (!refused[i]) {
        valid.add(recipients.get(i));
      }
    }
    return RecipientRefusals.proceed(chain, onInvalid, valid, rejected);
  }

  private CompletableFuture<DomainVerdict> earlierOrNew(String[] domains, int i,
      List<CompletableFuture<DomainVerdict>> pending, Map<String, CompletableFuture<DomainVerdict>> byDomain) {
    if (byDomain != null) {
      return byDomain.computeIfAbsent(domains[i], checker::check);
    }
    for (int j = 0; j < i; j++) {
      if (domains[i].equals(domains[j])) {
        return pending.get(j);
      }
    }
    return checker.check(domains[i]);
  }

  private RecipientReason refusal(DomainVerdict verdict) {
    return switch (verdict.kind()) {
      case MAIL_CAPABLE -> null;
      case NULL_MX, NO_MAIL_SERVER -> RecipientReason.NO_MAIL_SERVER;
      case NO_SUCH_DOMAIN -> RecipientReason.NO_SUCH_DOMAIN;
      case DNS_FAILURE -> onFailure == OnFailure.REFUSE ? RecipientReason.DNS_UNAVAILABLE : null;
    };
  }

  private DomainVerdict await(String domain, CompletableFuture<DomainVerdict> verdict, long deadline,
      Outgoing outgoing) throws RecipientRejectedException {
    DomainVerdict done = verdict.getNow(null);
    if (done != null) {
      return done;
    }
    try {
      return verdict.get(Math.max(0, deadline - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      List<RejectedRecipient> all = new ArrayList<>();
      for (InternetAddress r : outgoing.recipients()) {
        all.add(new RejectedRecipient(r, RecipientReason.DNS_UNAVAILABLE,
            "interrupted while waiting for DNS; nothing was sent"));
      }
      throw new RecipientRejectedException(all, null, new InternetAddress[0]);
    } catch (TimeoutException | ExecutionException e) {
      // the checker bounds its lookups and never fails a future; this is a safety net
      return new DomainVerdict(DomainVerdict.Kind.DNS_FAILURE,
          "DNS lookup of " + domain + " gave no verdict in time", Duration.ZERO);
    }
  }

  /** Returns the lower-case A-label domain of an address, or null for an address literal. */
  private static String domainOf(InternetAddress recipient) {
    String address = recipient.getAddress();
    String domain = address.substring(address.lastIndexOf('@') + 1);
    if (domain.startsWith("[")) {
      return null;
    }
    return AddressSyntax.asciiDomain(domain);
  }
}
