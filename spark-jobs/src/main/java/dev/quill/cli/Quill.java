package dev.quill.cli;
public final class Quill { public static void main(String[] a) {} }
