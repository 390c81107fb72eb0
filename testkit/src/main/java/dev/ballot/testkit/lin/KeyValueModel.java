package dev.ballot.testkit.lin;

/** get / put / append on one string per key; an absent key reads as "". */
final class KeyValueModel implements Model {

    @Override
    public String name() {
        return "kv";
    }

    @Override
    public String initialState() {
        return "";
    }

    @Override
    public boolean isRead(String f) {
        return switch (f) {
            case "get" -> true;
            case "put", "append" -> false;
            default -> throw new IllegalArgumentException("the kv model has get, put and append, not '" + f + "'");
        };
    }

    @Override
    public boolean allows(String state, Operation op) {
        // A get recorded as nil is taken as the empty string an absent key reads as.
        return !op.f().equals("get") || state.equals(op.value() == null ? "" : op.value());
    }

    @Override
    public String apply(String state, Operation op) {
        String value = op.value() == null ? "" : op.value();
        return switch (op.f()) {
            case "get" -> state;
            case "put" -> value;
            case "append" -> state + value;
            default -> throw new IllegalStateException("unexpected operation " + op.f());
        };
    }
}
