package org.mailwarden.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A shop that mails order confirmations through Spring Boot's auto-configured {@code JavaMailSender}.
 * It knows nothing of Mailwarden but its exceptions: the starter on the class path and the
 * {@code mailwarden.*} keys in {@code application.properties} put every message under Mailwarden's
 * policies.
 */
@SpringBootApplication
public class OrderApplication {

  public static void main(String[] args) {
    SpringApplication.run(OrderApplication.class, args);
  }

}
