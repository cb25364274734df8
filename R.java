import org.xbill.DNS.*;
import java.time.Duration;
import java.util.List;
public class R { public static void main(String[] a) throws Exception {
  SimpleResolver s = new SimpleResolver(new java.net.InetSocketAddress("127.0.0.1", 15357)); s.setTimeout(Duration.ofMillis(500));
  ExtendedResolver r = new ExtendedResolver(List.of(s)); r.setRetries(2); r.setTimeout(Duration.ofSeconds(1));
  long t0=System.nanoTime();
  try { r.send(Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString("timeout.example."), Type.MX, DClass.IN))); } catch (Exception e) { System.out.println(e + " " + (System.nanoTime()-t0)/1000000); }
}}
