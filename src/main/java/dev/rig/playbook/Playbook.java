package dev.rig.playbook;

import java.nio.file.Path;
import java.util.List;

/** A playbook file: its plays in order, plus every file read to build it (for the plan's digest). */
public record Playbook(Path file, List<Play> plays, List<Path> filesRead) {}
