package io.keygate.gateway.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the endpoint rule for a method and a path. Patterns are split into segments; a segment
 * {@code {x}} matches any one segment, and a last {@code {x}} right after a literal {@code -}
 * segment matches the rest of the path (the reference's {@code /-/{path}} and
 * {@code /-/{trailing_uri}}). Literal segments win over placeholders, placeholders over the rest
 * match, so {@code /openai/-/v1/models} is preferred to {@code /openai/-/{trailing_uri}}.
 * A {@code HEAD} request uses the {@code GET} rule when the endpoint has no {@code HEAD} rule.
 */
public final class EndpointTable {

    private final Node root = new Node();

    /** Adds one rule; {@code segments} is the pattern split on {@code /}. */
    void add(List<String> segments, EndpointRule rule) {
        Node node = root;
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (isPlaceholder(segment)) {
                boolean rest = i == segments.size() - 1 && i > 0 && segments.get(i - 1).equals("-");
                node = rest ? node.restChild() : node.paramChild();
            } else {
                node = node.literals.computeIfAbsent(segment, s -> new Node());
            }
        }
        if (node.rules.putIfAbsent(rule.method(), rule) != null) {
            throw new PolicyException("endpoints." + rule.pattern() + "." + rule.method().toLowerCase() + ": defined twice");
        }
    }

    /** The rule for {@code method} on the already split {@code segments}, or null. */
    public EndpointRule find(String method, String[] segments) {
        EndpointRule rule = find(root, segments, 0, method);
        if (rule == null && method.equals("HEAD")) {
            rule = find(root, segments, 0, "GET");
        }
        return rule;
    }

    private static EndpointRule find(Node node, String[] segments, int index, String method) {
        if (index == segments.length) {
            return node.rules.get(method);
        }
        Node literal = node.literals.get(segments[index]);
        if (literal != null) {
            EndpointRule rule = find(literal, segments, index + 1, method);
            if (rule != null) {
                return rule;
            }
        }
        if (node.param != null) {
            EndpointRule rule = find(node.param, segments, index + 1, method);
            if (rule != null) {
                return rule;
            }
        }
        return node.rest == null ? null : node.rest.rules.get(method);
    }

    static boolean isPlaceholder(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /** Splits a pattern or request path into segments, without the leading empty one. */
    static List<String> split(String path) {
        List<String> segments = new ArrayList<>();
        int start = 1;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            segments.add(path.substring(start, end));
            start = end + 1;
        }
        return segments;
    }

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        final Map<String, EndpointRule> rules = new HashMap<>(4);
        Node param;
        Node rest;

        Node paramChild() {
            if (param == null) {
                param = new Node();
            }
            return param;
        }

        Node restChild() {
            if (rest == null) {
                rest = new Node();
            }
            return rest;
        }
    }
}
