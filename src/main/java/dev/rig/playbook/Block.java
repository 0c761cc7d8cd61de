package dev.rig.playbook;

import dev.rig.core.Source;

import java.util.List;

/**
 * Ansible's block: {@code block} runs; when one of its tasks fails the host, {@code rescue} runs
 * (and a host whose rescue succeeds is not failed); {@code always} runs either way.
 */
public record Block(String name, Source source, List<Step> block, List<Step> rescue, List<Step> always) implements Step {}
