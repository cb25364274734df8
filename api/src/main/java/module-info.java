/**
 * Mailwarden's public types: the entry point {@link org.mailwarden.Mailwarden}, the refusals, the
 * send report, the listener, the bounce records and the suppression list.
 *
 * <p>Every public package of this module is exported; the implementation lives in {@code
 * org.mailwarden.impl}, which Jakarta Mail finds as the {@code mailwarden} transport provider.
 */
module org.mailwarden {
  requires transitive jakarta.mail;
  // annotations only (@NullMarked, @Nullable): not needed at run time
  requires static transitive org.jspecify;

  exports org.mailwarden;
  exports org.mailwarden.bounce;
  exports org.mailwarden.suppression;

  // the one authenticator Mailwarden's sessions and the engine's delegate session both use
  exports org.mailwarden.internal.auth to org.mailwarden.impl;
}
