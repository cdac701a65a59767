package io.keshikaran.leptonica;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.leptonica.Handler_BytePointer;
import org.bytedeco.leptonica.global.leptonica;

/**
 * Loads Leptonica's natives (JavaCPP extracts them once per user to {@code ~/.javacpp/cache}), once
 * per class loader, and silences Leptonica's own messages: a CLI must not print them, and every
 * failure reaches the caller as a {@code null} image anyway.
 */
final class NativeLibrary {
    /**
     * Swallows what Leptonica writes with {@code lept_stderr} outside its severity levels. Kept in
     * a field: the native side holds a pointer to it for the life of the process. Made in
     * {@link #load()}, since making it loads the natives, which may fail.
     */
    private static Handler_BytePointer silent;

    private NativeLibrary() {
    }

    private static final class Holder {
        static final String REASON = load();
    }

    /** {@code null} once loaded, else why it cannot load. */
    static String unavailableReason() {
        return Holder.REASON;
    }

    private static String load() {
        try {
            leptonica.setMsgSeverity(leptonica.L_SEVERITY_NONE);
            silent = new Handler_BytePointer() {
                @Override
                public void call(BytePointer message) {
                    // Leptonica's messages repeat what the null result already says.
                }
            };
            leptonica.leptSetStderrHandler(silent);
            return null;
        } catch (LinkageError | RuntimeException e) {
            String platform;
            try {
                platform = Loader.getPlatform();
            } catch (LinkageError | RuntimeException again) {
                platform = System.getProperty("os.name") + "-" + System.getProperty("os.arch");
            }
            return "Leptonica's natives for " + platform + " could not be loaded (add the " + platform
                    + " classifier of org.bytedeco:leptonica and org.bytedeco:javacpp to the classpath;"
                    + " keshikaran-leptonica ships linux-x86_64 only): " + e;
        }
    }
}
