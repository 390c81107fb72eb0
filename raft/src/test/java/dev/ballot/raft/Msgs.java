package dev.ballot.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Picking messages out of what a node sent. */
final class Msgs {

    private Msgs() {}

    static <T extends Message> List<T> ofType(List<Message> sent, Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends Message> List<T> ofType(List<Message> sent, Class<T> type, long to) {
        return sent.stream().filter(type::isInstance).map(type::cast).filter(m -> m.to() == to).toList();
    }

    /** The one message of this type to {@code to}; fails if there is none or more than one. */
    static <T extends Message> T single(List<Message> sent, Class<T> type, long to) {
        List<T> found = ofType(sent, type, to);
        assertThat(found).as("%s to %d in %s", type.getSimpleName(), to, sent).hasSize(1);
        return found.get(0);
    }

    /** AppendEntries to {@code to} that carry at least one entry. */
    static List<Message.AppendEntries> appendsWithEntries(List<Message> sent, long to) {
        return ofType(sent, Message.AppendEntries.class, to).stream().filter(a -> !a.entries().isEmpty()).toList();
    }

    /** True for a granted (pre-)vote or a successful AppendEntriesResponse: a message that "says yes". */
    static boolean isYes(Message m) {
        return (m instanceof Message.RequestVoteResponse v && v.voteGranted())
                || (m instanceof Message.AppendEntriesResponse a && a.success());
    }

    /** The AppendEntriesResponse a follower with a correct log would send to {@code ae}. */
    static Message.AppendEntriesResponse ack(Message.AppendEntries ae) {
        return Message.AppendEntriesResponse.accepted(ae.to(), ae.from(), ae.term(),
                ae.prevLogIndex() + ae.entries().size());
    }
}
