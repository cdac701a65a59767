package io.keshikaran.converter;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.util.Map;

/** Runs ONNX models with ONNX Runtime in tests. */
final class Onnx {

    private Onnx() {
    }

    /** An output tensor. */
    record Output(float[] values, long[] shape) {
    }

    static OrtSession session(byte[] model, boolean optimize) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(optimize ? OrtSession.SessionOptions.OptLevel.ALL_OPT
                : OrtSession.SessionOptions.OptLevel.NO_OPT);
        options.setIntraOpNumThreads(1);
        return OrtEnvironment.getEnvironment().createSession(model, options);
    }

    static Output run(OrtSession session, float[] input, long... shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
             OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            FloatBuffer buf = out.getFloatBuffer();
            float[] values = new float[buf.remaining()];
            buf.get(values);
            return new Output(values, out.getInfo().getShape());
        }
    }

    /** Converts nothing: runs already-serialized model bytes once. */
    static Output run(byte[] model, boolean optimize, float[] input, long... shape) throws OrtException {
        try (OrtSession session = session(model, optimize)) {
            return run(session, input, shape);
        }
    }
}
