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
import org.mailwarden.spring.mail.MailwardenJavaMailSender;
import org.mailwarden.spring.mail.MailwardenSendObserver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Puts every {@link JavaMailSenderImpl} bean behind Mailwarden: its protocol becomes
 * {@code mailwarden}, the protocol it had ({@code smtp} or {@code smtps}) becomes the delegate, and
 * its session properties get {@code mailwarden.*} as {@code mail.mailwarden.*}, every
 * {@link MailwardenListener} bean, and whatever the {@link MailwardenCustomizer} beans set. A key set
 * both as {@code mailwarden.*} and as {@code spring.mail.properties.mail.mailwarden.*} must have one
 * value, or start-up fails naming both; a key set one way is honoured as it is. The sessions use the
 * context's {@link MailwardenResources}, so their quotas, stores and connections end with the context.
 * The configuration is then checked, so a bad value fails start-up.
 *
 * <p>A plain {@code JavaMailSenderImpl} (Spring Boot's) is replaced by a
 * {@link MailwardenJavaMailSender} with the same settings, whose refusals are
 * {@link org.springframework.mail.MailSendException}s with Mailwarden's exception as the cause; a
 * subclass of the application's own is guarded but kept as it is. Either stays a
 * {@code JavaMailSenderImpl}: host, port and credentials still go to {@code connect}, so Spring Boot's
 * mail health indicator and {@code spring.mail.test-connection} keep working.
 */
public final class MailwardenMailSenderPostProcessor implements BeanPostProcessor, EnvironmentAware {

  private static final Log logger = LogFactory.getLog(MailwardenMailSenderPostProcessor.class);

  private final ObjectProvider<MailwardenProperties> properties;

  private final ObjectProvider<MailwardenListener> listeners;

  private final ObjectProvider<MailwardenCustomizer> customizers;

  private final ObjectProvider<MailwardenResources> resources;

  private final ObjectProvider<MailwardenSendObserver> observers;

  private Environment environment;

  /**
   * Creates the post-processor; the providers are read when a sender is processed, not before.
   * @param properties the bound {@code mailwarden.*} properties
   * @param listeners listeners to register with every sender's session
   * @param customizers customizers of the session properties, applied in order
   */
  public MailwardenMailSenderPostProcessor(ObjectProvider<MailwardenProperties> properties,
      ObjectProvider<MailwardenListener> listeners, ObjectProvider<MailwardenCustomizer> customizers) {
    this(properties, listeners, customizers, null, null);
  }

  /**
   * Creates the post-processor; the providers are read when a sender is processed, not before.
   * @param properties the bound {@code mailwarden.*} properties
   * @param listeners listeners to register with every sender's session
   * @param customizers customizers of the session properties, applied in order
   * @param resources the state of this context, or null for Mailwarden's JVM-wide default
   * @param observers the observer of each send, read at the first send, or null for none
   */
  public MailwardenMailSenderPostProcessor(ObjectProvider<MailwardenProperties> properties,
      ObjectProvider<MailwardenListener> listeners, ObjectProvider<MailwardenCustomizer> customizers,
      ObjectProvider<MailwardenResources> resources, ObjectProvider<MailwardenSendObserver> observers) {
    this.properties = properties;
    this.listeners = listeners;
    this.customizers = customizers;
    this.resources = resources;
    this.observers = observers;
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
      return guard(sender, beanName);
    }
    return bean;
  }

  private JavaMailSenderImpl guard(JavaMailSenderImpl original, String beanName) {
    JavaMailSenderImpl sender = original;
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
    SessionPropertiesMapper.merge(session,
        SessionPropertiesMapper.map(this.properties.getObject(), delegate, this.environment), this.environment);
    MailwardenResources state = (this.resources != null) ? this.resources.getIfAvailable() : null;
    if (state != null) {
      state.apply(session);
    }
    addListeners(session);
    this.customizers.orderedStream().forEach((customizer) -> customizer.customize(session));
    sender.setProtocol(Mailwarden.PROTOCOL);
    if (sender.getClass() == JavaMailSenderImpl.class) {
      sender = copy(sender);
    }
    // parse now, so that a bad value fails start-up rather than the first send
    GuardedTransport guarded = guarded(sender);
    guarded.checkConfiguration();
    if (sender instanceof MailwardenJavaMailSender observed) {
      observed.setApp(guarded.effectivePolicies().get("app"));
    }
    if (logger.isDebugEnabled()) {
      logger.debug("JavaMailSenderImpl '" + beanName + "' sends through Mailwarden: " + guarded.effectivePolicies());
    }
    return sender;
  }

  private MailwardenJavaMailSender copy(JavaMailSenderImpl original) {
    ObjectProvider<MailwardenSendObserver> observer = this.observers;
    MailwardenJavaMailSender sender = new MailwardenJavaMailSender(
        () -> (observer != null) ? observer.getIfAvailable() : null);
    sender.setHost(original.getHost());
    sender.setPort(original.getPort());
    sender.setUsername(original.getUsername());
    sender.setPassword(original.getPassword());
    sender.setProtocol(original.getProtocol());
    if (original.getDefaultEncoding() != null) {
      sender.setDefaultEncoding(original.getDefaultEncoding());
    }
    sender.setDefaultFileTypeMap(original.getDefaultFileTypeMap());
    sender.setJavaMailProperties(original.getJavaMailProperties());
    // the properties are the session's: a session the application set stays, one not yet made is made
    // from them
    sender.setSession(original.getSession());
    return sender;
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
