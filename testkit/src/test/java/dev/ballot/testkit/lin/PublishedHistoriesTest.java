package dev.ballot.testkit.lin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every published history of test/resources/linearizability gets the verdict its verdicts.csv gives. */
class PublishedHistoriesTest {

    /** Generous: the slowest file takes well under a second; a regression should fail, not hang. */
    private static final Duration BUDGET = Duration.ofSeconds(20);

    static Stream<Arguments> etcdHistories() throws IOException {
        return verdicts("etcd-jepsen");
    }

    static Stream<Arguments> kvAppendHistories() throws IOException {
        return verdicts("kv-append");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("etcdHistories")
    void etcdRegisterHistory(String file, Verdict expected) throws Exception {
        List<Event> history = HistoryFiles.readJepsenLog(resource("etcd-jepsen/" + file));
        assertVerdict(file, LinearizabilityChecker.check(history, Model.register(), BUDGET), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kvAppendHistories")
    void kvAppendHistory(String file, Verdict expected) throws Exception {
        List<Event> history = HistoryFiles.readEdn(resource("kv-append/" + file));
        assertVerdict(file, LinearizabilityChecker.check(history, Model.keyValue(), BUDGET), expected);
    }

    private static void assertVerdict(String file, CheckResult result, Verdict expected) {
        assertThat(result.verdict()).as("%s:%n%s", file, result.explanation()).isEqualTo(expected);
        if (expected == Verdict.NOT_LINEARIZABLE) {
            assertThat(result.failingKey()).isNotNull();
            assertThat(result.involved()).isNotEmpty();
        }
    }

    private static Stream<Arguments> verdicts(String dir) throws IOException {
        String csv;
        try (InputStream in = Objects.requireNonNull(PublishedHistoriesTest.class.getResourceAsStream(
                "/linearizability/" + dir + "/verdicts.csv"), dir + "/verdicts.csv is missing")) {
            csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Arguments> rows = csv.lines().skip(1).filter(l -> !l.isBlank()).map(line -> {
            String[] cells = line.split(",");
            Verdict verdict = switch (cells[1].strip()) {
                case "linearizable" -> Verdict.LINEARIZABLE;
                case "not-linearizable" -> Verdict.NOT_LINEARIZABLE;
                default -> throw new IllegalArgumentException(dir + "/verdicts.csv: unknown verdict in '" + line + "'");
            };
            return Arguments.of(cells[0].strip(), verdict);
        }).toList();
        assertThat(rows).as(dir + " verdicts").hasSizeGreaterThan(5);
        return rows.stream();
    }

    static Path resource(String name) throws URISyntaxException {
        URL url = Objects.requireNonNull(PublishedHistoriesTest.class.getResource("/linearizability/" + name),
                name + " is missing from test resources");
        return Path.of(url.toURI());
    }
}
