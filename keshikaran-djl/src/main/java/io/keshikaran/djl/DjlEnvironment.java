package io.keshikaran.djl;

/**
 * Puts DJL into the configuration keshikaran promises: no network access and no second engine.
 * A value the user set explicitly (system property or environment variable) is left alone.
 */
final class DjlEnvironment {
    private DjlEnvironment() {
    }

    static synchronized void configure() {
        // DJL's telemetry otherwise probes a cloud metadata address when an engine starts, and
        // offline mode also forbids any native-library or model download.
        if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // Without this, ONNX Runtime also initialises libtorch as its "alternative" engine when it
        // is on the classpath: twice the start-up time and memory, for nothing keshikaran uses.
        if (System.getProperty("ai.djl.onnx.disable_alternative") == null) {
            System.setProperty("ai.djl.onnx.disable_alternative", "true");
        }
    }
}
