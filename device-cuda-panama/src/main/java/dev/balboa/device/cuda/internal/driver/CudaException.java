package dev.balboa.device.cuda.internal.driver;

/**
 * A CUDA driver call returned an error. The message names the call, the {@code CUresult} code,
 * its symbolic name and the driver's description ("cuMemAlloc_v2(1073741824 bytes) failed:
 * CUDA_ERROR_OUT_OF_MEMORY (2): out of memory").
 */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public static final int OUT_OF_MEMORY = 2;
    /** {@code CUDA_ERROR_NOT_INITIALIZED}. */
    public static final int NOT_INITIALIZED = 3;
    /** {@code CUDA_ERROR_NO_DEVICE}. */
    public static final int NO_DEVICE = 100;

    private final int code;
    private final String errorName;

    /**
     * @param call        the call and its arguments as they should appear in the message
     * @param code        the {@code CUresult}
     * @param errorName   from {@code cuGetErrorName}
     * @param errorString from {@code cuGetErrorString}
     */
    public CudaException(String call, int code, String errorName, String errorString) {
        super(call + " failed: " + errorName + " (" + code + "): " + errorString);
        this.code = code;
        this.errorName = errorName;
    }

    /** The {@code CUresult} value. */
    public int code() { return code; }

    /** The symbolic name of the error, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public String errorName() { return errorName; }
}
