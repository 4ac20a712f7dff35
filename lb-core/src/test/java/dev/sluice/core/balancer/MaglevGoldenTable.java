package dev.sluice.core.balancer;

import java.util.List;

/**
 * The golden Maglev table's members, and a main that prints its fingerprint so a test can compare a table built
 * in a separate JVM with one built in the test's JVM.
 */
public final class MaglevGoldenTable {

    static final int TABLE_SIZE = 65537;

    private MaglevGoldenTable() {
    }

    /** Five backends with mixed weights, one IPv6, deliberately not in address order. */
    static List<MaglevTable.Member> members() {
        return List.of(
                new MaglevTable.Member("10.0.0.1:8080", 1),
                new MaglevTable.Member("10.0.0.2:8080", 2),
                new MaglevTable.Member("10.0.0.3:8080", 3),
                new MaglevTable.Member("10.0.0.4:8080", 1),
                new MaglevTable.Member("[2001:db8::5]:8080", 1));
    }

    static MaglevTable build() {
        return MaglevTable.buildFromMembers(members(), TABLE_SIZE);
    }

    public static void main(String[] args) {
        System.out.println(build().fingerprint());
    }
}
