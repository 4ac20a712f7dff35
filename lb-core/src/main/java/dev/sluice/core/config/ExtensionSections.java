package dev.sluice.core.config;

import dev.sluice.core.filter.HttpFilterProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The top-level sections owned by filter providers ({@code policy:} and the like). A section is known when a
 * provider claims it; its content is the provider's to validate. Confined to the thread reading the config.
 */
final class ExtensionSections {

    private final Map<String, List<HttpFilterProvider>> bySection = new LinkedHashMap<>();

    ExtensionSections(List<HttpFilterProvider> providers) {
        for (HttpFilterProvider provider : providers) {
            bySection.computeIfAbsent(provider.section(), s -> new ArrayList<>()).add(provider);
        }
    }

    /** The section names that providers claim, in the order the providers were found. */
    List<String> names() {
        return List.copyOf(bySection.keySet());
    }

    /**
     * Picks the claimed sections out of the top-level mapping, reporting a section that two providers claim
     * (a packaging mistake: which one should own it?).
     *
     * @return each claimed section's node, in file order
     */
    Map<String, ConfigNode> collect(ConfigNode root, ConfigProblems problems) {
        Map<String, ConfigNode> sections = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : root.fields().entrySet()) {
            List<HttpFilterProvider> owners = bySection.get(e.getKey());
            if (owners == null) {
                continue;
            }
            if (owners.size() > 1) {
                String classes = owners.stream().map(p -> p.getClass().getName()).collect(Collectors.joining(" and "));
                problems.at(root.keyNode(e.getKey()), "section '" + e.getKey() + "' is claimed by more than one filter"
                        + " module (" + classes + "): install only one of them");
                continue;
            }
            sections.put(e.getKey(), e.getValue());
        }
        return sections;
    }

    /** Asks each section's provider to validate it against the core config, adding what it reports. */
    void validate(Map<String, ConfigNode> sections, SluiceConfig core, ConfigProblems problems) {
        for (Map.Entry<String, ConfigNode> e : sections.entrySet()) {
            HttpFilterProvider provider = bySection.get(e.getKey()).get(0);
            problems.addAll(provider.validate(e.getValue(), core));
        }
    }
}
