package dev.ballot.testkit.lin;

/**
 * One line of a client history: a process invoking an operation or learning its outcome.
 *
 * <p>Operations ({@code f}) and their fields:
 * <ul>
 *   <li>register model: {@code read} (OK: {@code value} read, null = absent), {@code write}
 *       ({@code value}), {@code cas} (from {@code expected} to {@code value}; OK = swapped,
 *       FAIL = the register did not hold {@code expected}, nothing changed);</li>
 *   <li>key-value model: {@code get} (OK: {@code value} read, absent reads as ""), {@code put}
 *       ({@code value}), {@code append} ({@code value} appended).</li>
 * </ul>
 * A process runs one operation at a time: its INVOKE is followed by at most one OK, FAIL or INFO.
 *
 * @param process  the client that ran the operation
 * @param type     invoke or outcome
 * @param f        the operation's name, as above
 * @param key      the key (independent keys are checked separately); "" for a single register
 * @param value    written / appended / read value, or the new value of a cas; may be null
 * @param expected the expected value of a cas, else null
 * @param time     when the event happened, in any monotonic unit (nanoseconds in our recordings)
 */
public record Event(int process, EventType type, String f, String key, String value, String expected, long time) {
}
