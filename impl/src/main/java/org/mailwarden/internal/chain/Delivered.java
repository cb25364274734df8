package org.mailwarden.internal.chain;

import jakarta.mail.Address;
import java.util.List;

/**
 * What the server did with a message that was handed to it.
 *
 * @param outgoing the message as delivered, after every policy
 * @param accepted recipients the server accepted
 * @param refused recipients the server refused
 * @param unsent valid recipients not sent to
 */
public record Delivered(Outgoing outgoing, List<? extends Address> accepted,
    List<? extends Address> refused, List<? extends Address> unsent) {
  public Delivered {
    accepted = List.copyOf(accepted);
    refused = List.copyOf(refused);
    unsent = List.copyOf(unsent);
  }
}
