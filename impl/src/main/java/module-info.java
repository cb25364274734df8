/**
 * The {@code mailwarden} Jakarta Mail transport provider, its policies and the bounce parser.
 *
 * <p>Exported to everyone: {@code org.mailwarden.transport} (the provider, which Jakarta Mail
 * instantiates) and {@code org.mailwarden.bounce.parser}. Everything under {@code
 * org.mailwarden.internal} is implementation; the few internal packages another Mailwarden module
 * needs are exported to that module only, each with the reason. The same list is what the other
 * modules' {@code ModuleBoundaryTest} enforces on their class path builds, so a new import of an
 * internal package fails the build until it is exported here, on purpose.
 */
// "module": the qualified exports name modules built after this one; "requires-automatic": bucket4j
// and icu4j publish an Automatic-Module-Name rather than a descriptor
@SuppressWarnings({"module", "requires-automatic"})
module org.mailwarden.impl {
  requires transitive org.mailwarden;
  requires org.eclipse.angus.mail;
  requires org.eclipse.angus.mail.dsn;
  requires com.github.benmanes.caffeine;
  requires io.github.bucket4j.core;
  requires org.dnsjava;
  requires com.ibm.icu;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports org.mailwarden.transport;
  exports org.mailwarden.bounce.parser;

  // mailwarden-redis implements the store plug-in (StoreProvider, QuotaStore, SuppressionStore and
  // what their signatures carry: StoreSettings, StoreStatus, StoreUnavailableException) and falls
  // back on the local stores (LocalQuotaStore, MemorySuppressionStore).
  exports org.mailwarden.internal.config to org.mailwarden.redis;
  exports org.mailwarden.internal.quota to org.mailwarden.redis;
  exports org.mailwarden.internal.store to org.mailwarden.redis;
  exports org.mailwarden.internal.suppression to org.mailwarden.redis;

  uses org.mailwarden.internal.store.StoreProvider;

  provides jakarta.mail.Provider with org.mailwarden.transport.MailwardenProvider;
}
