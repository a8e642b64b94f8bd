package io.syncedfolder.common;

import java.security.MessageDigest;

/**
 * Run by {@link CompilerDirectivesTest} in a JVM of its own: hashing, and a hot method that is not hashing. With
 * the argument {@code add}, it first adds the directives at run time and says whether that worked.
 */
public final class HashingLoop {
    private HashingLoop() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("add")) {
            System.out.println("added at run time: " + CompilerDirectives.addToThisJvm());
        }
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < 512; i++) {
            sha256.update(block);
        }
        long sum = 0;
        for (int i = 0; i < 200_000; i++) {
            sum += notHashing(i);
        }
        System.out.println(sum + " " + sha256.digest().length);
    }

    static long notHashing(int i) {
        return i % 7;
    }
}
