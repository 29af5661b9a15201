package io.keygate.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The distribution's Chromium ({@code /usr/bin/chromium}), headless, driven over the Chrome DevTools
 * Protocol with the JDK's own WebSocket client: no WebDriver, no extra dependency. Input is sent as
 * real mouse and keyboard events ({@code Input.*}), so single-page apps such as Keycloak's admin
 * console see what a user does. Each instance has a fresh profile directory, removed on close.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** Flags that work on the build machines (no sandbox as root, no GPU, no background traffic). */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1400,1000", "--remote-debugging-port=0");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Failure bounds, not speed checks: the shared 2-core machine is slow under load. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** How long a click looks again for an element that a re-render took away for a moment. */
    private static final Duration CLICK_PATIENCE = Duration.ofSeconds(15);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The Chromium binary, when installed ({@code apt-get install chromium}). */
    public static Optional<Path> binary() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    public static HeadlessChromium start(Path binary) {
        try {
            Path profile = Files.createTempDirectory("keygate-it-chromium-");
            List<String> command = new java.util.ArrayList<>(List.of(binary.toString(), "--user-data-dir=" + profile));
            command.addAll(FLAGS);
            command.add("about:blank");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(profile.resolve("chromium.log").toFile()).start();
            String page = pageSocketUrl(process, profile);
            Listener listener = new Listener();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(page), listener)
                    .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            HeadlessChromium browser = new HeadlessChromium(process, profile, socket);
            listener.browser = browser;
            browser.send("Page.enable", Map.of());
            browser.send("Runtime.enable", Map.of());
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not start Chromium: " + e, e);
        }
    }

    private static String pageSocketUrl(Process process, Path profile) throws IOException, InterruptedException {
        Path portFile = profile.resolve("DevToolsActivePort");
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Chromium did not open its DevTools port: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(100);
        }
        String port = Files.readAllLines(portFile).get(0).trim();
        Http http = new Http();
        while (true) {
            JsonNode targets = JSON.readTree(http.get("http://127.0.0.1:" + port + "/json/list", null).body());
            for (JsonNode target : targets) {
                if ("page".equals(target.path("type").asText())) {
                    return target.get("webSocketDebuggerUrl").asText();
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Chromium has no page target: " + targets);
            }
            Thread.sleep(100);
        }
    }

    /** Sends a DevTools command and waits for its result. */
    public JsonNode send(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        pending.put(id, result);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        socket.sendText(message.toString(), true).join();
        try {
            JsonNode answer = result.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer.has("error")) {
                throw new IllegalStateException(method + " failed: " + answer.get("error"));
            }
            return answer.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(method + " got no answer: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    public void navigate(String url) {
        send("Page.navigate", Map.of("url", url));
    }

    /** Evaluates a JavaScript expression in the page and returns its JSON value. */
    public JsonNode eval(String expression) {
        JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    public String text() {
        return eval("document.body ? document.body.innerText : ''").asText();
    }

    public String url() {
        return eval("location.href").asText();
    }

    /** Polls {@code condition} until it holds; fails with {@code what} after {@code timeout} (a failure bound). */
    public void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (IllegalStateException navigating) {
                // The page changed while the script ran; try again.
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what + " at " + url() + "; page text:\n" + text());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** True when an element matches the CSS selector and is displayed. */
    public boolean visible(String selector) {
        return eval("(() => { const e = document.querySelector(" + quote(selector) + "); return !!e && e.getClientRects().length > 0; })()").asBoolean();
    }

    /** Clicks, with real mouse events, the centre of the first displayed element matching the CSS selector. */
    public void click(String selector) {
        clickAt("(() => { const e = [...document.querySelectorAll(" + quote(selector) + ")].find(x => x.getClientRects().length > 0);"
                + " if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()", selector);
    }

    /** Clicks the first displayed button, link or menu item whose visible text is exactly {@code text}. */
    public void clickText(String text) {
        clickAt("(() => { const want = " + quote(text) + ";"
                + " const e = [...document.querySelectorAll('button, a, [role=menuitem], [role=tab], label, span')]"
                + " .find(x => x.getClientRects().length > 0 && x.innerText && x.innerText.trim() === want);"
                + " if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()", "text " + text);
    }

    /**
     * Finds the element with {@code locate} and clicks its centre. The console re-renders whole pages (a token
     * refresh, a route change), so an element just seen may be gone for a moment: look again for up to
     * {@link #CLICK_PATIENCE} before failing.
     */
    private void clickAt(String locate, String what) {
        Instant deadline = Instant.now().plus(CLICK_PATIENCE);
        JsonNode point = find(locate);
        while (point == null && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            point = find(locate);
        }
        if (point == null) {
            throw new AssertionError("nothing to click: " + what + " at " + url() + "; page text:\n" + text());
        }
        double x = point.get("x").asDouble();
        double y = point.get("y").asDouble();
        send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
        send("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left", "clickCount", 1));
        send("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left", "clickCount", 1));
    }

    private JsonNode find(String locate) {
        try {
            JsonNode point = eval(locate);
            return point == null || point.isNull() || point.isMissingNode() ? null : point;
        } catch (IllegalStateException navigating) {
            return null; // the page changed while the script ran
        }
    }

    /** Focuses the element matching the CSS selector and types {@code text} into it. */
    public void type(String selector, String text) {
        click(selector);
        eval("document.querySelector(" + quote(selector) + ").focus()");
        send("Input.insertText", Map.of("text", text));
    }

    /** Presses Enter in the focused element. */
    public void pressEnter() {
        Map<String, Object> key = Map.of("key", "Enter", "code", "Enter", "windowsVirtualKeyCode", 13, "text", "\r");
        send("Input.dispatchKeyEvent", merge(key, "keyDown"));
        send("Input.dispatchKeyEvent", merge(key, "keyUp"));
    }

    private static Map<String, Object> merge(Map<String, Object> key, String type) {
        Map<String, Object> event = new java.util.HashMap<>(key);
        event.put("type", type);
        return event;
    }

    /** Saves a PNG screenshot of the page to {@code file} (for debugging a failure). */
    public void screenshot(Path file) {
        try {
            String png = send("Page.captureScreenshot", Map.of("format", "png")).get("data").asText();
            Files.createDirectories(file.getParent());
            Files.write(file, Base64.getDecoder().decode(png));
            System.out.println("[keygate-it] screenshot: " + file);
        } catch (IOException | RuntimeException e) {
            System.out.println("[keygate-it] no screenshot: " + e);
        }
    }

    /** {@code value} as a JavaScript string literal. */
    public static String quote(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var paths = Files.walk(profile)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a leftover temp dir is harmless.
        }
    }

    private void onMessage(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> waiting = pending.get(message.get("id").asInt());
                if (waiting != null) {
                    waiting.complete(message);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects fragmented WebSocket text frames into DevTools messages. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();
        volatile HeadlessChromium browser;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String message = buffer.toString();
                buffer.setLength(0);
                if (browser != null) {
                    browser.onMessage(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
