package dev.ballot.server.it;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * JUnit extension for tests that start processes: when the test fails it logs the end of every
 * tracked process's log (so a CI failure shows what the nodes were doing), and after every test,
 * passed or failed, it kills them all. Register it as a non-static {@code @RegisterExtension} field.
 */
public final class ProcessGuard implements AfterTestExecutionCallback, AfterEachCallback {

    private static final Logger log = LoggerFactory.getLogger(ProcessGuard.class);

    private final List<ProcessDiagnostics> tracked = new ArrayList<>();

    /** Tracks {@code processes} until the end of the current test; returns it. */
    public synchronized <T extends ProcessDiagnostics> T track(T processes) {
        tracked.add(processes);
        return processes;
    }

    @Override
    public synchronized void afterTestExecution(ExtensionContext context) {
        context.getExecutionException().ifPresent(failure -> {
            for (ProcessDiagnostics p : tracked) {
                log.error("{} failed ({}); process logs:\n{}", context.getDisplayName(), failure, p.diagnostics());
            }
        });
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        RuntimeException failure = null;
        for (ProcessDiagnostics p : tracked.reversed()) {
            try {
                p.close();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        tracked.clear();
        if (failure != null) throw failure;
    }
}
