/**
 * The {@code mailwarden} Jakarta Mail transport provider, its policies and the bounce parser.
 *
 * <p>Exported to everyone: {@code org.mailwarden.transport} (the provider, which Jakarta Mail
 * instantiates), {@code org.mailwarden.bounce.parser} and {@code org.mailwarden.spi}. Everything under {@code
 * org.mailwarden.internal} is implementation and exported to no module; the store plug-in is the
 * public SPI {@code org.mailwarden.spi}. The same list is what the other
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
  // optional: Amazon SES notifications are read with the Jackson the application has (3, else 2)
  requires static tools.jackson.databind;
  requires static tools.jackson.core;
  requires static com.fasterxml.jackson.databind;
  requires static com.fasterxml.jackson.core;
  requires static transitive org.jspecify;

  exports org.mailwarden.transport;
  exports org.mailwarden.bounce.parser;

  // the store plug-in that mailwarden-redis implements: a public, documented SPI
  exports org.mailwarden.spi;

  // the Spring Boot starter (automatic module org.mailwarden.spring) owns one Environment per
  // application context, closed with it, and reads its pool counts for gauges (issue 19)
  exports org.mailwarden.internal to org.mailwarden.spring;
  // the starter compares a key set through spring.mail.properties with the same key set under
  // mailwarden.* by parsed value (1h equals 3600000ms), so it needs the key catalogue
  exports org.mailwarden.internal.config to org.mailwarden.spring;

  uses org.mailwarden.spi.StoreProvider;

  provides jakarta.mail.Provider with org.mailwarden.transport.MailwardenProvider;
}
