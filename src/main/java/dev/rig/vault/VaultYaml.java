package dev.rig.vault;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Ansible's inline {@code !vault |} values in YAML: every reader of variables builds them with this. */
public final class VaultYaml {
    public static final Tag VAULT_TAG = new Tag("!vault");

    private VaultYaml() {}

    /** SnakeYAML's safe constructor, with !vault values decrypted (their plaintext remembered as secrets). */
    public static class Constructor extends SafeConstructor {
        public Constructor(LoaderOptions options, VaultPasswords vault) {
            super(options);
            yamlConstructors.put(VAULT_TAG, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String envelope = constructScalar((ScalarNode) node);
                    try {
                        return vault.decrypt(envelope);
                    } catch (IllegalArgumentException e) {
                        throw new MarkedYAMLException(null, null, "inline !vault value: " + e.getMessage(), node.getStartMark()) { };
                    }
                }
            });
        }

        /** The value of one node, as the document's root would be built. */
        public Object construct(Node node) {
            return constructDocument(node);
        }
    }

    /** Every key holding an inline !vault value, at any depth, is a vault variable: masked by name. */
    public static void rememberNames(Node node, VaultPasswords vault) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple entry : mapping.getValue()) {
                if (entry.getKeyNode() instanceof ScalarNode key && VAULT_TAG.equals(entry.getValueNode().getTag())) {
                    vault.rememberName(key.getValue());
                }
                rememberNames(entry.getValueNode(), vault);
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> rememberNames(item, vault));
        }
    }
}
