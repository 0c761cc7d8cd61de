package dev.rig.apply;

/** PLAN reads facts only and never changes a host; APPLY carries the changes out. */
public enum Mode { PLAN, APPLY }
