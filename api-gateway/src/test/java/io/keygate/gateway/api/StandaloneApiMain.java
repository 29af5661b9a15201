package io.keygate.gateway.api;

import io.javalin.Javalin;
import io.keygate.gateway.ApiModule;
import io.keygate.gateway.ApiSettings;
import io.keygate.gateway.health.Metrics;
import io.keygate.gateway.inference.InferenceConfig;
import io.keygate.gateway.store.StoreConfig;

/**
 * The API module in a JVM of its own (authentication off), so a test can kill it with SIGKILL.
 * Arguments: the H2 file path. Prints {@code PORT=<port>} once it serves.
 */
public final class StandaloneApiMain {

    private StandaloneApiMain() {
    }

    public static void main(String[] args) {
        ApiModule module = new ApiModule(new ApiSettings(StoreConfig.h2File(args[0]), "", null, null,
                InferenceConfig.none(), false), new Metrics());
        Javalin app = Javalin.create(cfg -> module.register(cfg.routes)).start("127.0.0.1", 0);
        System.out.println("PORT=" + app.port());
        System.out.flush();
    }
}
