package org.mailwarden.bounce.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mailwarden.bounce.BouncedRecipient;

/**
 * Bounces come from strangers: random and mutated messages, a 1 MB header line and a 10,000-part
 * message never make the parser throw anything but the stream's IOException, and the whole batch
 * finishes in bounded time.
 */
class BounceParserRobustnessTest {
  private static final long SEED = 0x5eedL;

  @Test
  void randomAndMutatedBouncesNeverThrowAndFinishInBoundedTime() throws IOException {
    List<byte[]> samples = new ArrayList<>();
    for (Path p : Corpus.files("bsd")) {
      samples.add(Files.readAllBytes(p));
    }
    Random random = new Random(SEED);
    List<byte[]> inputs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      byte[] base = samples.get(random.nextInt(samples.size()));
      inputs.add(mutate(base, random));
    }
    for (int i = 0; i < 500; i++) {
      byte[] noise = new byte[random.nextInt(4096)];
      random.nextBytes(noise);
      inputs.add(noise);
    }
    int[] parsed = new int[1];
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      for (byte[] input : inputs) {
        List<BouncedRecipient> out = BounceParser.parse(input);
        assertThat(out).isNotNull();
        parsed[0]++;
      }
    });
    assertThat(parsed[0]).isEqualTo(1500);
  }

  @Test
  void aOneMegabyteHeaderLineIsParsedWithoutFailure() {
    String huge = "X-Junk: " + "a".repeat(1024 * 1024) + "\n";
    byte[] message = ("From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\n" + huge
        + "Content-Type: text/plain\n\n<jane@example.org>: 550 5.1.1 User unknown\n")
        .getBytes(StandardCharsets.US_ASCII);
    List<BouncedRecipient> out = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> BounceParser.parse(message));
    assertThat(out).extracting(BouncedRecipient::recipient).containsExactly("jane@example.org");
  }

  @Test
  void aTenThousandPartMessageIsParsedInBoundedTime() {
    StringBuilder sb = new StringBuilder("From: MAILER-DAEMON@example.org\nSubject: Delivery Status Notification\n"
        + "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n");
    for (int i = 0; i < 10_000; i++) {
      sb.append("--b\nContent-Type: text/plain\n\npart ").append(i).append('\n');
    }
    sb.append("--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x.example.org\n\n"
        + "Final-Recipient: rfc822; jane@example.org\nAction: failed\nStatus: 5.1.1\n\n--b--\n");
    byte[] message = sb.toString().getBytes(StandardCharsets.US_ASCII);
    List<BouncedRecipient> out = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> BounceParser.parse(message));
    // the parts beyond the walk's bound are not read: no failure, and no recipient invented
    assertThat(out).allSatisfy(r -> assertThat(r.recipient()).isEqualTo("jane@example.org"));
  }

  @Test
  void aFailingStreamGivesItsIOExceptionAndNothingElse() {
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("disk gone");
      }
    };
    org.assertj.core.api.Assertions.assertThatIOException().isThrownBy(() -> BounceParser.parse(failing))
        .withMessage("disk gone");
  }

  @Test
  void anEmptyMessageGivesNothing() throws IOException {
    assertThat(BounceParser.parse(new ByteArrayInputStream(new byte[0]))).isEmpty();
  }

  private static byte[] mutate(byte[] base, Random r) {
    byte[] b = base.clone();
    switch (r.nextInt(5)) {
      case 0 -> { // flip bytes
        for (int i = 0; i < 1 + r.nextInt(50); i++) {
          b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
      }
      case 1 -> { // truncate
        b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
      }
      case 2 -> { // duplicate a slice many times (long lines, repeated fields)
        int from = r.nextInt(b.length);
        int len = Math.min(b.length - from, 1 + r.nextInt(200));
        int times = 1 + r.nextInt(200);
        byte[] out = new byte[b.length + len * times];
        System.arraycopy(b, 0, out, 0, from);
        for (int t = 0; t < times; t++) {
          System.arraycopy(b, from, out, from + t * len, len);
        }
        System.arraycopy(b, from, out, from + len * times, b.length - from);
        b = out;
      }
      case 3 -> { // break boundaries and colons
        for (int i = 0; i < b.length; i++) {
          if ((b[i] == '-' || b[i] == ':' || b[i] == ';') && r.nextInt(4) == 0) {
            b[i] = (byte) "\n\r\"<>@ ".charAt(r.nextInt(7));
          }
        }
      }
      default -> { // insert pathological text: many @, <, spaces and digits
        String junk = "<" + "a@".repeat(r.nextInt(5000)) + " 5.5.5.5.5 550-550-" + " ".repeat(r.nextInt(5000));
        byte[] j = junk.getBytes(StandardCharsets.US_ASCII);
        int at = r.nextInt(b.length);
        byte[] out = new byte[b.length + j.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(j, 0, out, at, j.length);
        System.arraycopy(b, at, out, at + j.length, b.length - at);
        b = out;
      }
    }
    return b;
  }
}
