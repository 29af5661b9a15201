package io.keygate.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.javalin.http.HandlerType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics label of a request no handler ran for (refused before routing, or no such route). */
class RouteLabelsTest {

    private final RouteLabels labels = new RouteLabels(List.of(
            new RouteTable.Route(HandlerType.GET, "/apis/models/v2/workspaces/{workspace}/models", "", "models", 200),
            new RouteTable.Route(HandlerType.GET, "/apis/models/v2/workspaces/{workspace}/models/{name}", "", "models", 200),
            new RouteTable.Route(HandlerType.POST, "/apis/inference-gateway/v2/workspaces/{workspace}/openai/-/<path>", "", "inference", 200)));

    @Test
    void aRefusedRequestIsLabelledWithThePatternItsPathMatches() {
        assertEquals("/apis/models/v2/workspaces/{workspace}/models/{name}",
                labels.match("GET", "/apis/models/v2/workspaces/ml-team/models/llama-3"));
        assertEquals("/apis/models/v2/workspaces/{workspace}/models", labels.match("GET", "/apis/models/v2/workspaces/ml-team/models"));
        assertEquals("/apis/inference-gateway/v2/workspaces/{workspace}/openai/-/<path>",
                labels.match("POST", "/apis/inference-gateway/v2/workspaces/a/openai/-/v1/chat/completions"));
    }

    @Test
    void anythingElseIsUnmatchedNeverTheRawPath() {
        assertEquals(RouteLabels.UNMATCHED, labels.match("DELETE", "/apis/models/v2/workspaces/ml-team/models/llama-3"));
        assertEquals(RouteLabels.UNMATCHED, labels.match("GET", "/apis/models/v2/workspaces/ml-team/models/a/b"));
        assertEquals(RouteLabels.UNMATCHED, labels.match("GET", "/random/" + "x".repeat(100)));
    }
}
