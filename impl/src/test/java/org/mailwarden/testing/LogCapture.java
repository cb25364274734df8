package org.mailwarden.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what Mailwarden logs, at every level, while open. */
public final class LogCapture implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("org.mailwarden");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Level previous;

  public LogCapture() {
    previous = logger.getLevel();
    logger.setLevel(Level.TRACE);
    appender.start();
    logger.addAppender(appender);
  }

  /** Returns the events logged so far. */
  public List<ILoggingEvent> events() {
    return List.copyOf(appender.list);
  }

  /** Returns the formatted messages at the given level. */
  public List<String> messages(Level level) {
    return events().stream().filter(e -> e.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** Returns every formatted message with its throwable's messages, for leak checks. */
  public String all() {
    StringBuilder sb = new StringBuilder();
    for (ILoggingEvent e : events()) {
      sb.append(e.getFormattedMessage()).append('\n');
      for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        sb.append(t.getMessage()).append('\n');
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previous);
  }
}
