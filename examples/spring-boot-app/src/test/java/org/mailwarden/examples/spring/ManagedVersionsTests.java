package org.mailwarden.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mailwarden.QuotaExceededException;
import org.mailwarden.testing.Running;
import org.mailwarden.testing.SmtpSink;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * The application runs on the versions of Mailwarden's libraries that Spring Boot's BOM manages, not
 * on the newer ones Mailwarden is built with (Boot 4.0.7: Caffeine 3.2.4, SLF4J 2.0.18, Lettuce
 * 6.8.2): the class path is compared with the BOM itself, and the quotas work on them, in the JVM
 * (the other tests of this module) and on Redis through Boot's Lettuce (here).
 */
class ManagedVersionsTests {

  @RegisterExtension
  static final Running<SmtpSink> sink = Running.perClass(SmtpSink::start);

  @Test
  void caffeineSlf4jAndLettuceAreTheVersionsSpringBootManages() throws IOException {
    Properties bom = bomProperties();
    assertThat(versionOf(Caffeine.class)).isEqualTo(bom.getProperty("caffeine.version"));
    assertThat(versionOf(LoggerFactory.class)).isEqualTo(bom.getProperty("slf4j.version"));
    assertThat(versionOf(RedisClient.class)).isEqualTo(bom.getProperty("lettuce.version"));
  }

  @Test
  void aQuotaOnRedisHoldsWithBootsLettuce() throws Exception {
    int redisPort = freePort();
    Path log = Files.createTempFile("redis-server", ".log");
    Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no").redirectErrorStream(true)
      .redirectOutput(log.toFile())
      .start();
    try {
      awaitPort(redisPort, redis);
      try (ConfigurableApplicationContext context = new SpringApplicationBuilder(OrderApplication.class)
        .web(WebApplicationType.NONE)
        .run("--spring.mail.port=" + sink.get().port(), "--mailwarden.store=redis",
            "--mailwarden.redis.uri=redis://127.0.0.1:" + redisPort, "--mailwarden.redis.timeout=10s",
            "--mailwarden.app=shop-" + UUID.randomUUID(),
            "--mailwarden.limit.messages-per-minute=1")) {
        JavaMailSender sender = context.getBean(JavaMailSender.class);
        sender.send(message(sender, "ann@example.org"));
        try {
          sender.send(message(sender, "bob@example.org"));
          throw new AssertionError("the second message within a minute was sent");
        }
        catch (org.springframework.mail.MailSendException ex) {
          assertThat(ex.getCause()).isInstanceOf(QuotaExceededException.class);
        }
      }
      assertThat(sink.get().messages()).hasSize(1);
    }
    finally {
      redis.destroy();
      redis.waitFor(5, TimeUnit.SECONDS);
      Files.deleteIfExists(log);
    }
  }

  private static jakarta.mail.internet.MimeMessage message(JavaMailSender sender, String to) throws Exception {
    jakarta.mail.internet.MimeMessage message = sender.createMimeMessage();
    MimeMessageHelper helper = new MimeMessageHelper(message);
    helper.setFrom("orders@shop.example.com");
    helper.setTo(to);
    helper.setSubject("Order");
    helper.setText("Thank you.");
    return message;
  }

  /** The version in the name of the jar a class was loaded from. */
  private static String versionOf(Class<?> type) throws IOException {
    Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath());
    try (JarFile file = new JarFile(jar.toFile())) {
      var entries = file.stream().filter((e) -> e.getName().startsWith("META-INF/maven/")
          && e.getName().endsWith("/pom.properties")).toList();
      if (entries.size() == 1) {
        Properties pom = new Properties();
        try (InputStream in = file.getInputStream(entries.get(0))) {
          pom.load(in);
        }
        return pom.getProperty("version");
      }
    }
    Matcher version = Pattern.compile("-(\\d[^/]*)\\.jar$").matcher(jar.getFileName().toString());
    assertThat(version.find()).as("a version in " + jar).isTrue();
    return version.group(1);
  }

  private static Properties bomProperties() throws IOException {
    String bom = System.getProperty("spring-boot.bom");
    assertThat(bom).as("the system property spring-boot.bom, set by the pom").isNotNull();
    String pom = Files.readString(Path.of(bom));
    Properties properties = new Properties();
    Matcher property = Pattern.compile("<([a-z0-9.-]+\\.version)>([^<]+)</").matcher(pom);
    while (property.find()) {
      properties.putIfAbsent(property.group(1), property.group(2));
    }
    return properties;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void awaitPort(int port, Process process) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      }
      catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    throw new AssertionError("redis-server did not start on port " + port);
  }

}
