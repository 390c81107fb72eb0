package dev.ballot.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LoadReportTest {

    private static LoadResult result() {
        Histogram latency = new Histogram(3);
        for (int micros = 1; micros <= 1000; micros++) {
            latency.recordValue(micros * 10L); // 0.01 ms .. 10 ms, uniform
        }
        return new LoadResult(LoadOptions.defaults(), 1000, Map.of("TRYAGAIN", 30L, "BUSY", 20L),
                Map.of("EOFException: gone", 2L), 1, 2.0, latency);
    }

    @Test
    void textGivesThroughputErrorsAndPercentiles() {
        String text = LoadReport.text(result());
        assertThat(text)
                .contains("total ops: 1000 in 2.00 s")
                .contains("ops/s: 500.0 (successful: 475.0)")
                .contains("errors: 50 {BUSY=20, TRYAGAIN=30}")
                .contains("connection failures: 2 {EOFException: gone=2}, lost commands: 1")
                .containsPattern("p50=5\\.0\\d\\d p90=9\\.0\\d\\d p99=9\\.9\\d\\d p99\\.9=9\\.99\\d max=10\\.0\\d\\d")
                .contains("clients=50 pipeline=1 value-size=100");
    }

    @Test
    void jsonCarriesTheSameNumbers() throws Exception {
        JsonNode json = new ObjectMapper().readTree(LoadReport.json(result()));
        assertThat(json.get("totalOps").asLong()).isEqualTo(1000);
        assertThat(json.get("opsPerSecond").asDouble()).isEqualTo(500.0);
        assertThat(json.get("errorsByKind").get("TRYAGAIN").asLong()).isEqualTo(30);
        assertThat(json.get("latencyMillis").get("p99.9").asDouble()).isBetween(9.99, 10.0);
        assertThat(json.get("parameters").get("ports").get(0).asInt()).isEqualTo(6401);
    }
}
