package dev.sluice.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.balancer.MaglevTable;
import dev.sluice.core.cluster.ClusterRuntime;
import dev.sluice.core.cluster.ClusterSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET .../maglev} and {@code POST .../maglev/dry-run}. Both build tables from the cluster's current
 * backends (and the proposed ones) with the cluster's table size; nothing is applied. A cluster whose balancer
 * is not maglev answers 409 {@code not_maglev}. Admin worker thread only: a table build takes milliseconds.
 */
final class MaglevApi {

    private MaglevApi() {
    }

    /** {@code {"table_size":N,"fingerprint":"<hex>","backends":K}}. */
    static Reply table(ClusterRuntime cluster) {
        MaglevTable table = current(cluster);
        return Reply.json(200, Map.of("table_size", table.tableSize(), "fingerprint", table.fingerprint(),
                "backends", table.backendCount()));
    }

    /** {@code {"moved_fraction":x}}: the share of slots whose backend would change with the proposed backends. */
    static Reply dryRun(ClusterRuntime cluster, String body) {
        MaglevTable before = current(cluster);
        JsonBody json = JsonBody.parse(body, Set.of("backends"));
        JsonNode list = json.node("backends");
        if (list == null || !list.isArray()) {
            throw ApiException.badRequest("field 'backends' must be an array of {\"address\",\"weight\"}");
        }
        List<MaglevTable.Member> members = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "backends[" + i + "].";
            JsonBody b = JsonBody.of(list.get(i), Set.of("address", "weight"), where);
            members.add(new MaglevTable.Member(b.address("address", where).toString(), b.weight("weight", 1, where)));
        }
        if (members.isEmpty()) {
            throw ApiException.badRequest("field 'backends' must name at least one backend");
        }
        MaglevTable after;
        try {
            after = MaglevTable.buildFromMembers(members, before.tableSize());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return Reply.json(200, Map.of("moved_fraction", MaglevTable.movedFraction(before, after)));
    }

    private static MaglevTable current(ClusterRuntime cluster) {
        ClusterSnapshot snapshot = cluster.snapshot();
        if (!"maglev".equals(snapshot.config().balancer())) {
            throw ApiException.conflict("not_maglev", "cluster '" + cluster.name() + "' balances with "
                    + snapshot.config().balancer() + ", not maglev");
        }
        return MaglevTable.build(snapshot.backends().backends(), snapshot.config().maglevTableSize());
    }
}
