package org.mailwarden.examples.spring;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** The example application's HTTP interface as a client sees it, on 127.0.0.1 at the given port. */
final class ShopClient {

  private static final HttpClient http = HttpClient.newHttpClient();

  private final int port;

  ShopClient(int port) {
    this.port = port;
  }

  /** Posts a confirmation of the order to the address, as the form does. */
  HttpResponse<String> confirm(String order, String to) throws IOException, InterruptedException {
    return post("/orders/" + order + "/confirmation", to);
  }

  /** Posts a confirmation of a tenant's order to the address. */
  HttpResponse<String> confirm(String tenant, String order, String to) throws IOException, InterruptedException {
    return post("/tenants/" + tenant + "/orders/" + order + "/confirmation", to);
  }

  private HttpResponse<String> post(String path, String to) throws IOException, InterruptedException {
    String form = "to=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(uri(path))
      .header("Content-Type", "application/x-www-form-urlencoded")
      .POST(HttpRequest.BodyPublishers.ofString(form))
      .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Gets the path, for example {@code /actuator/health}. */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + this.port + path);
  }

}
