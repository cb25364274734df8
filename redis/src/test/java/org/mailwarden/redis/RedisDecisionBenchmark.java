package org.mailwarden.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import org.mailwarden.internal.Engine;
import org.mailwarden.internal.chain.Delivered;
import org.mailwarden.internal.chain.Outgoing;
import org.mailwarden.internal.chain.Policy;
import org.mailwarden.internal.chain.RealChain;
import org.mailwarden.testing.Mails;

/**
 * Send decisions per second against a local redis-server: the whole policy chain of a session with
 * {@code store=redis} (suppression lookup and quota buckets on Redis), with a last link that accepts
 * the message instead of talking SMTP. Not a test; docs/redis.md has the command. It prints decisions per second, the round trips of each decision (commands Mailwarden's client
 * sent) and the commands Redis counted (the script's own {@code GET}s and {@code PSETEX}es included),
 * for 1 and 4 threads.
 */
public final class RedisDecisionBenchmark {
  /** Commands Mailwarden's client sent: one command is one round trip (none is pipelined). */
  private static final LongAdder ROUND_TRIPS = new LongAdder();

  private RedisDecisionBenchmark() {}

  public static void main(String[] args) throws Exception {
    long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
    try (RedisServer redis = RedisServer.launch()) {
      RedisClient probe = RedisClient.create(redis.uri());
      RedisClient client = RedisClient.create(redis.uri());
      client.addListener(new CommandListener() {
        @Override
        public void commandStarted(CommandStartedEvent event) {
          ROUND_TRIPS.increment();
        }
      });
      try (StatefulRedisConnection<String, String> stats = probe.connect()) {
        for (String limits : List.of("messages-per-minute only", "messages-per-minute + default recipient limits")) {
          Properties p = Mails.properties(25);
          p.put("mail.mailwarden.store", "redis");
          p.put("mail.mailwarden.redis.client", client);
          p.put("mail.mailwarden.limit.messages-per-minute", "1000000000");
          if (limits.endsWith("only")) {
            p.put("mail.mailwarden.limit.recipients-per-second", "0");
            p.put("mail.mailwarden.limit.recipients-per-day", "0");
          } else {
            p.put("mail.mailwarden.limit.recipients-per-second", "1000000000");
            p.put("mail.mailwarden.limit.recipients-per-day", "1000000000");
          }
          Session session = Session.getInstance(p);
          Engine engine = Engine.of(session);
          MimeMessage message = Mails.message(session, "someone@example.com");
          run(engine, message, 1, 3, stats); // warm-up
          for (int threads : new int[] {1, 4}) {
            double[] r = run(engine, message, threads, seconds, stats);
            System.out.printf("%-48s threads=%d  %,10.0f decisions/s  %.2f round trips and %.2f Redis"
                + " commands/decision%n", limits, threads, r[0], r[2], r[1]);
          }
        }
      } finally {
        client.shutdown();
        probe.shutdown();
      }
    }
    System.exit(0);
  }

  private static double[] run(Engine engine, MimeMessage message, int threads, long seconds,
      StatefulRedisConnection<String, String> stats) throws Exception {
    List<InternetAddress> to = List.of(new InternetAddress("someone@example.com"));
    Policy.Connection connection = new Policy.Connection() {
      @Override
      public String server() {
        return "127.0.0.1:25";
      }

      @Override
      public boolean supportsExtension(String extension) {
        return true;
      }
    };
    LongAdder decisions = new LongAdder();
    long commandsBefore = commands(stats);
    long roundTripsBefore = ROUND_TRIPS.sum();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        try {
          while (System.nanoTime() < end) {
            RealChain.run(engine.policies(), Outgoing.of(message, "sender@example.com", to), connection,
                o -> new Delivered(o, o.recipients(), List.of(), List.of()));
            decisions.increment();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      thread.start();
      running.add(thread);
    }
    for (Thread t : running) {
      t.join();
    }
    long commands = commands(stats) - commandsBefore - 1; // the INFO call itself
    long roundTrips = ROUND_TRIPS.sum() - roundTripsBefore;
    return new double[] {decisions.sum() / (double) seconds, commands / (double) decisions.sum(),
        roundTrips / (double) decisions.sum()};
  }

  private static long commands(StatefulRedisConnection<String, String> stats) {
    for (String line : stats.sync().info("stats").split("\r?\n")) {
      if (line.startsWith("total_commands_processed:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new IllegalStateException("no total_commands_processed in INFO stats");
  }
}
