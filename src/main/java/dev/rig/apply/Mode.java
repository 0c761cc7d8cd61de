package dev.rig.apply;

/**
 * PLAN reads facts only and never changes a host; APPLY carries the changes out; RENDER contacts no
 * host at all: it computes the files each host would get (rig render) and skips what needs the host.
 */
public enum Mode { PLAN, APPLY, RENDER }
