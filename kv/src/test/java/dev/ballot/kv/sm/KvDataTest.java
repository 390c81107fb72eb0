package dev.ballot.kv.sm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link KvData} against a plain map, under random sequences of puts, removes, views taken, read
 * and closed: the state is always the model's, every view reads exactly the model as of its
 * moment, and once a view is closed the overlay is folded back by later changes.
 */
class KvDataTest {

    /** One step: 0-5 put, 6-8 remove, 9 take a view (if allowed), 10 check and close the open view. */
    @Provide
    Arbitrary<int[][]> programs() {
        Arbitrary<int[]> step = Arbitraries.integers().between(0, 10)
                .flatMap(op -> Arbitraries.integers().between(0, 40).map(key -> new int[] {op, key}));
        return step.array(int[][].class).ofMinSize(1).ofMaxSize(400);
    }

    @Property(tries = 300)
    void behavesLikeAMapAndEveryViewIsAPointInTimeCopy(@ForAll("programs") int[][] program) {
        KvData data = new KvData();
        Map<String, String> model = new HashMap<>();
        KvData.View view = null;
        Map<String, String> seen = null;
        int n = 0;
        for (int[] step : program) {
            String key = "k" + step[1];
            ByteKey k = new ByteKey(key.getBytes());
            switch (step[0]) {
                case 0, 1, 2, 3, 4, 5 -> {
                    String value = "v" + n++;
                    String previous = model.put(key, value);
                    byte[] was = data.put(k, value.getBytes());
                    assertThat(was == null ? null : new String(was)).isEqualTo(previous);
                }
                case 6, 7, 8 -> {
                    String previous = model.remove(key);
                    byte[] was = data.remove(k);
                    assertThat(was == null ? null : new String(was)).isEqualTo(previous);
                }
                case 9 -> {
                    if (view == null && data.viewReady()) {
                        view = data.view();
                        seen = new HashMap<>(model);
                    }
                }
                default -> {
                    if (view != null) {
                        Map<String, String> read = new HashMap<>();
                        view.forEach((vk, vv) -> read.put(new String(vk.bytes()), new String(vv)));
                        assertThat(read).as("the view reads its moment").isEqualTo(seen);
                        assertThat(view.size()).isEqualTo(seen.size());
                        view.close();
                        view = null;
                    }
                }
            }
            assertThat(data.size()).isEqualTo(model.size());
            String probe = "k" + step[1];
            byte[] got = data.get(new ByteKey(probe.getBytes()));
            assertThat(got == null ? null : new String(got)).isEqualTo(model.get(probe));
        }
        Map<String, String> now = new HashMap<>();
        data.forEachNow((k, v) -> now.put(new String(k.bytes()), new String(v)));
        assertThat(now).isEqualTo(model);
        if (view != null) view.close();
        // With the view closed, enough changes fold the overlay back: one map again.
        for (int i = 0; i < 100 && data.layered(); i++) data.put(new ByteKey(("fold" + i).getBytes()), new byte[] {1});
        assertThat(data.layered()).isFalse();
    }
}
