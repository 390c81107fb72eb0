package dev.ballot.testkit.lin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checker agrees with a brute-force search (every order allowed by real time, every subset of
 * indeterminate operations) on thousands of small random histories, both linearizable and not.
 */
class BruteForceAgreementTest {

    private static final String[] VALUES = {null, "1", "2"};

    @Test
    void registerHistories() {
        assertAgreement(Model.register(), new String[] {"read", "write", "cas"}, new String[] {""}, 11);
    }

    @Test
    void keyValueHistories() {
        assertAgreement(Model.keyValue(), new String[] {"get", "put", "append"}, new String[] {"a", "b"}, 12);
    }

    private static void assertAgreement(Model model, String[] fs, String[] keys, long seed) {
        Random random = new Random(seed);
        int[] verdicts = new int[2];
        for (int round = 0; round < 3000; round++) {
            List<Event> history = randomHistory(random, fs, keys, model);
            boolean expected = OperationPairing.operationsByKey(history, model).values().stream()
                    .allMatch(ops -> bruteForce(model.initialState(), ops, new boolean[ops.size()], model));
            CheckResult result = LinearizabilityChecker.check(history, model, Duration.ofSeconds(10));
            assertThat(result.verdict()).as("seed %d round %d: %s", seed, round, history)
                    .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
            verdicts[expected ? 0 : 1]++;
        }
        // Both kinds are well represented, or the agreement says little.
        assertThat(verdicts[0]).isGreaterThan(500);
        assertThat(verdicts[1]).isGreaterThan(500);
    }

    /** Up to 4 processes, 2 to 8 operations, random values and outcomes, some never completed. */
    private static List<Event> randomHistory(Random random, String[] fs, String[] keys, Model model) {
        List<Event> events = new ArrayList<>();
        Event[] running = new Event[4];
        int toInvoke = 2 + random.nextInt(7);
        long time = 0;
        while (toInvoke > 0 || anyRunning(running)) {
            int p = random.nextInt(running.length);
            if (running[p] == null) {
                if (toInvoke == 0) continue;
                toInvoke--;
                String f = fs[random.nextInt(fs.length)];
                boolean read = model.isRead(f);
                Event invoke = new Event(p, EventType.INVOKE, f, keys[random.nextInt(keys.length)],
                        read ? null : nonNull(random), f.equals("cas") ? VALUES[random.nextInt(VALUES.length)] : null, ++time);
                events.add(invoke);
                running[p] = invoke;
            } else {
                Event invoke = running[p];
                running[p] = null;
                int outcome = random.nextInt(10);
                if (outcome == 0 && toInvoke == 0) continue; // left without a completion
                EventType type = outcome < 7 ? EventType.OK : outcome < 9 ? EventType.FAIL : EventType.INFO;
                String value = model.isRead(invoke.f()) && type == EventType.OK ? VALUES[random.nextInt(VALUES.length)]
                        : invoke.value();
                events.add(new Event(p, type, invoke.f(), invoke.key(), value, invoke.expected(), ++time));
            }
        }
        return events;
    }

    private static String nonNull(Random random) {
        return VALUES[1 + random.nextInt(VALUES.length - 1)];
    }

    private static boolean anyRunning(Event[] running) {
        for (Event e : running) {
            if (e != null) return true;
        }
        return false;
    }

    /**
     * Linearizable iff every definite operation can be placed, one at a time, each only after every
     * operation that completed before its invoke; indeterminate ones may be placed or left out.
     */
    private static boolean bruteForce(String state, List<Operation> ops, boolean[] placed, Model model) {
        boolean definiteLeft = false;
        for (int i = 0; i < ops.size(); i++) definiteLeft |= !placed[i] && ops.get(i).mustTakeEffect();
        if (!definiteLeft) return true;
        for (int i = 0; i < ops.size(); i++) {
            if (placed[i] || !model.allows(state, ops.get(i)) || mustComeAfterAnother(i, ops, placed)) continue;
            placed[i] = true;
            boolean found = bruteForce(model.apply(state, ops.get(i)), ops, placed, model);
            placed[i] = false;
            if (found) return true;
        }
        return false;
    }

    private static boolean mustComeAfterAnother(int i, List<Operation> ops, boolean[] placed) {
        for (int j = 0; j < ops.size(); j++) {
            if (j != i && !placed[j] && ops.get(j).completeTime() < ops.get(i).invokeTime()) return true;
        }
        return false;
    }
}
