package org.mailwarden.spring.autoconfigure;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.mailwarden.GuardedTransport;
import org.mailwarden.Mailwarden;
import org.mailwarden.MailwardenListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Puts every {@link JavaMailSenderImpl} bean behind Mailwarden: its protocol becomes
 * {@code mailwarden}, the protocol it had ({@code smtp} or {@code smtps}) becomes the delegate, and
 * its session properties get {@code mailwarden.*} as {@code mail.mailwarden.*}, every
 * {@link MailwardenListener} bean, and whatever the {@link MailwardenCustomizer} beans set. The
 * configuration is then checked, so a bad value fails start-up. The sender stays a
 * {@code JavaMailSenderImpl}: host, port and credentials still go to {@code connect}, so Spring Boot's
 * mail health indicator and {@code spring.mail.test-connection} keep working.
 */
public final class MailwardenMailSenderPostProcessor implements BeanPostProcessor, EnvironmentAware {

  private static final Log logger = LogFactory.getLog(MailwardenMailSenderPostProcessor.class);

  private final ObjectProvider<MailwardenProperties> properties;

  private final ObjectProvider<MailwardenListener> listeners;

  private final ObjectProvider<MailwardenCustomizer> customizers;

  private Environment environment;

  /**
   * Creates the post-processor; the providers are read when a sender is processed, not before.
   * @param properties the bound {@code mailwarden.*} properties
   * @param listeners listeners to register with every sender's session
   * @param customizers customizers of the session properties, applied in order
   */
  public MailwardenMailSenderPostProcessor(ObjectProvider<MailwardenProperties> properties,
      ObjectProvider<MailwardenListener> listeners, ObjectProvider<MailwardenCustomizer> customizers) {
    this.properties = properties;
    this.listeners = listeners;
    this.customizers = customizers;
  }

  /**
   * Sets the environment in which {@code spring.data.redis.*} is read when {@code mailwarden.store=redis}
   * and {@code mailwarden.redis.uri} is unset.
   * @param environment the application's environment
   */
  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof JavaMailSenderImpl sender) {
      guard(sender, beanName);
    }
    return bean;
  }

  private void guard(JavaMailSenderImpl sender, String beanName) {
    String protocol = sender.getProtocol();
    String delegate;
    if (protocol == null || protocol.isEmpty() || "smtp".equalsIgnoreCase(protocol)) {
      delegate = "smtp";
    }
    else if ("smtps".equalsIgnoreCase(protocol)) {
      delegate = "smtps";
    }
    else if (Mailwarden.PROTOCOL.equalsIgnoreCase(protocol)) {
      delegate = null;
    }
    else {
      throw new IllegalStateException("JavaMailSenderImpl '" + beanName + "' uses protocol '" + protocol
          + "'; Mailwarden can only guard 'smtp' or 'smtps' (set spring.mail.protocol to one of them)");
    }
    Properties session = sender.getJavaMailProperties();
    session.putAll(SessionPropertiesMapper.map(this.properties.getObject(), delegate, this.environment));
    addListeners(session);
    this.customizers.orderedStream().forEach((customizer) -> customizer.customize(session));
    sender.setProtocol(Mailwarden.PROTOCOL);
    // parse now, so that a bad value fails start-up rather than the first send
    guarded(sender).checkConfiguration();
    if (logger.isDebugEnabled()) {
      logger.debug("JavaMailSenderImpl '" + beanName + "' sends through Mailwarden: "
          + guarded(sender).effectivePolicies());
    }
  }

  private void addListeners(Properties session) {
    List<MailwardenListener> all = new ArrayList<>();
    Object existing = session.get(Mailwarden.PREFIX + "listener");
    if (existing instanceof MailwardenListener listener) {
      all.add(listener);
    }
    else if (existing instanceof Collection<?> collection) {
      collection.forEach((listener) -> all.add((MailwardenListener) listener));
    }
    this.listeners.orderedStream().filter((listener) -> !all.contains(listener)).forEach(all::add);
    if (!all.isEmpty()) {
      session.put(Mailwarden.PREFIX + "listener", List.copyOf(all));
    }
  }

  private static GuardedTransport guarded(JavaMailSenderImpl sender) {
    try {
      Transport transport = sender.getSession().getTransport(Mailwarden.PROTOCOL);
      if (transport instanceof GuardedTransport guarded) {
        return guarded;
      }
      throw new IllegalStateException("Protocol 'mailwarden' is provided by " + transport.getClass().getName()
          + ", not by Mailwarden");
    }
    catch (MessagingException ex) {
      throw new IllegalStateException("The mailwarden transport is not registered with Jakarta Mail; "
          + "is org.mailwarden:mailwarden-impl on the class path?", ex);
    }
  }

}
