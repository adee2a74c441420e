package org.vigil.api.monitor;

/**
 * Vigil's own process.
 *
 * @param rssBytes         resident memory ({@code VmRSS})
 * @param heapUsedBytes    Java heap in use; {@code heapMaxBytes} the most it may grow to
 * @param threads          threads of the process, Java and native (GStreamer's included)
 * @param openFiles        open file descriptors
 * @param openFilesLimit   the process's limit of open file descriptors, 0 when unknown
 * @param monitorCpuMillis CPU time the monitor's own last reading took
 */
public record ProcessReading(long pid, long rssBytes, long heapUsedBytes, long heapCommittedBytes, long heapMaxBytes,
        int threads, int openFiles, long openFilesLimit, double monitorCpuMillis) {
}
