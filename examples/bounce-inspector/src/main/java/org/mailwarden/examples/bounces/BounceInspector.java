package org.mailwarden.examples.bounces;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.mailwarden.bounce.BouncedRecipient;
import org.mailwarden.bounce.parser.BounceParser;

/**
 * {@code java -jar bounce-inspector.jar FILE...}: parses each message file and prints one JSON object
 * per bounced recipient per line, with the fields {@code file, recipient, action, status, replycode,
 * reason, hard, envid, messageid, feedbacktype, diagnostic}. A file that is not a bounce prints nothing.
 * Exit status: 0, or 2 when a file could not be read (named on standard error), 64 without arguments.
 */
public final class BounceInspector {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BounceInspector() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    System.exit(run(List.of(args), out, System.err));
  }

  /** Runs the inspector over the files; returns the exit status. */
  static int run(List<String> files, PrintStream out, PrintStream err) {
    if (files.isEmpty()) {
      err.println("usage: java -jar bounce-inspector.jar FILE...");
      return 64;
    }
    int status = 0;
    for (String file : files) {
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        for (BouncedRecipient r : BounceParser.parse(in)) {
          out.println(line(file, r));
        }
      } catch (IOException e) {
        err.println(file + ": " + e);
        status = 2;
      }
    }
    out.flush();
    return status;
  }

  static String line(String file, BouncedRecipient r) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("file", file);
    o.put("recipient", r.recipient());
    o.put("action", r.action());
    o.put("status", r.status());
    if (r.replyCode() == 0) {
      o.putNull("replycode");
    } else {
      o.put("replycode", r.replyCode());
    }
    o.put("reason", r.reason().code());
    o.put("hard", r.hard());
    o.put("envid", r.envelopeId());
    o.put("messageid", r.messageId());
    o.put("feedbacktype", r.feedbackType());
    o.put("diagnostic", r.diagnostic());
    return JSON.writeValueAsString(o);
  }
}
