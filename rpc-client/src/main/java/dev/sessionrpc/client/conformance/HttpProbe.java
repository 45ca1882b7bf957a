package dev.sessionrpc.client.conformance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A probe over HTTP POST: 200 with a body is a reply, 204 is silence, anything else a status. */
final class HttpProbe implements Probe {

    private final HttpClient http;
    private final URI uri;
    private final Duration timeout;

    HttpProbe(HttpClient http, URI uri, Duration timeout) {
        this.http = http;
        this.uri = uri;
        this.timeout = timeout;
    }

    @Override
    public String transport() {
        return "http";
    }

    @Override
    public Reply exchange(String message) {
        return send("POST", "application/json", message);
    }

    @Override
    public Reply exchangeExpectingSilence(String message) {
        return exchange(message);
    }

    /** Sends any HTTP request to the JSON-RPC address; {@code body} null sends none. */
    Reply send(String method, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() == 204) {
                return response.body().isEmpty() ? new Reply.Silence() : new Reply.HttpStatus(204, response.body());
            }
            if (response.statusCode() == 200) {
                return new Reply.Text(response.body());
            }
            return new Reply.HttpStatus(response.statusCode(), response.body());
        } catch (java.net.http.HttpTimeoutException e) {
            return new Reply.NoReply(timeout.toMillis());
        } catch (IOException e) {
            return new Reply.Failure(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply.Failure("interrupted");
        }
    }

    @Override
    public void close() {
        // the HttpClient and its connections belong to the suite
    }
}
