package org.mailwarden.internal.chain;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;

/**
 * The From header of a message ({@link Message#getFrom()}), parsed once per send: the transport needs
 * it for the envelope sender and the sender policy checks it, and parsing it costs about a microsecond.
 * Holds the addresses, or the failure to parse them, which the sender policy reports.
 */
public final class FromHeader {
  private static final Address[] NONE = new Address[0];

  private final Address[] addresses;
  private final MessagingException failure;

  private FromHeader(Address[] addresses, MessagingException failure) {
    this.addresses = addresses;
    this.failure = failure;
  }

  /** Parses the From header of a message now; never throws (a failure is kept for {@link #addresses()}). */
  public static FromHeader of(Message message) {
    try {
      Address[] from = message.getFrom();
      return new FromHeader(from == null ? NONE : from, null);
    } catch (MessagingException e) {
      return new FromHeader(NONE, e);
    }
  }

  /**
   * Returns the From addresses (empty when the message has none). The array is shared: do not change it.
   *
   * @throws MessagingException what {@link Message#getFrom()} threw, an
   *     {@link jakarta.mail.internet.AddressException} when the header is malformed
   */
  public Address[] addresses() throws MessagingException {
    if (failure != null) {
      throw failure;
    }
    return addresses;
  }

  /** Returns the address of the first From address, or null when there is none or it is malformed. */
  public String firstAddress() {
    return addresses.length > 0 && addresses[0] instanceof jakarta.mail.internet.InternetAddress ia
        ? ia.getAddress() : null;
  }
}
