package io.syncedfolder.server.tls;

import io.syncedfolder.common.CertificateFingerprint;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The certificate chain and private key the server presents for HTTPS, read from PEM files, in a key store
 * Jetty can serve. The certificate file holds the server's certificate first, then any intermediates; the key
 * file holds its RSA or EC private key, unencrypted, as {@code BEGIN PRIVATE KEY} (PKCS #8) or the older
 * {@code BEGIN RSA PRIVATE KEY} / {@code BEGIN EC PRIVATE KEY}.
 */
public final class TlsIdentity {
    private static final String ALIAS = "server";

    private final KeyStore keyStore;
    private final String keyStorePassword;
    private final X509Certificate certificate;
    private final String fingerprint;

    private TlsIdentity(KeyStore keyStore, String keyStorePassword, X509Certificate certificate, String fingerprint) {
        this.keyStore = keyStore;
        this.keyStorePassword = keyStorePassword;
        this.certificate = certificate;
        this.fingerprint = fingerprint;
    }

    /**
     * Reads a certificate chain and its private key.
     *
     * @throws BadTlsFilesException if a file is missing or unreadable, holds no certificate or key, holds an
     *                              encrypted or unsupported key, or the key does not belong to the certificate;
     *                              the message names the file and says what to do
     */
    public static TlsIdentity load(Path certFile, Path keyFile) throws BadTlsFilesException {
        List<X509Certificate> chain = readCertificates(certFile);
        PrivateKey key = readPrivateKey(keyFile);
        X509Certificate leaf = chain.get(0);
        if (!belongTogether(key, leaf)) {
            throw new BadTlsFilesException("the key in " + keyFile + " does not belong to the certificate in "
                    + certFile + " (the first certificate there must be the server's own)");
        }
        try {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String password = Base64.getEncoder().encodeToString(random);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(new Certificate[0]));
            return new TlsIdentity(store, password, leaf, fingerprint(leaf));
        } catch (GeneralSecurityException | IOException e) {
            throw new BadTlsFilesException("cannot use the key in " + keyFile + " with the certificate in " + certFile
                    + ": " + e.getMessage(), e);
        }
    }

    /** Returns the key store holding the key and chain, for Jetty. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** Returns the password protecting the key inside {@link #keyStore()} (made up when the files were read). */
    public String keyStorePassword() {
        return keyStorePassword;
    }

    /** Returns the server's own certificate, the first in the chain. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Returns the server certificate's fingerprint, as clients pin it: {@code SHA256:} and 64 hex digits. */
    public String fingerprint() {
        return fingerprint;
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return CertificateFingerprint.of(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate just parsed cannot be encoded again", e);
        }
    }

    private static List<X509Certificate> readCertificates(Path file) throws BadTlsFilesException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object item : readPem(file, "--tls-cert")) {
            if (item instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (GeneralSecurityException e) {
                    throw new BadTlsFilesException("--tls-cert " + file + " holds a certificate that cannot be read: "
                            + e.getMessage(), e);
                }
            } else if (isPrivateKey(item)) {
                throw new BadTlsFilesException("--tls-cert " + file + " holds a private key; give the certificate "
                        + "(-----BEGIN CERTIFICATE-----) there and the key with --tls-key");
            }
        }
        if (chain.isEmpty()) {
            throw new BadTlsFilesException("--tls-cert " + file + " holds no certificate "
                    + "(expected a PEM file with -----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey readPrivateKey(Path file) throws BadTlsFilesException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object item : readPem(file, "--tls-key")) {
            try {
                PrivateKey key;
                if (item instanceof PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info);
                } else if (item instanceof PEMKeyPair pair) {
                    // Only the private half: an EC key in this format need not carry its public key.
                    key = converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (item instanceof PKCS8EncryptedPrivateKeyInfo || item instanceof PEMEncryptedKeyPair) {
                    throw new BadTlsFilesException("--tls-key " + file + " is encrypted; the server needs it "
                            + "unencrypted (openssl pkey -in " + file + " -out plain-key.pem, then chmod 600 it)");
                } else {
                    continue; // e.g. the EC PARAMETERS block openssl writes before an EC key
                }
                if (!key.getAlgorithm().equals("RSA") && !key.getAlgorithm().equals("EC")) {
                    throw new BadTlsFilesException("--tls-key " + file + " holds a " + key.getAlgorithm()
                            + " key; use an RSA or EC key");
                }
                return key;
            } catch (IOException e) {
                throw new BadTlsFilesException("--tls-key " + file + " holds a key that cannot be read: "
                        + e.getMessage(), e);
            }
        }
        throw new BadTlsFilesException("--tls-key " + file + " holds no private key "
                + "(expected a PEM file with -----BEGIN PRIVATE KEY-----)");
    }

    private static boolean isPrivateKey(Object item) {
        return item instanceof PrivateKeyInfo || item instanceof PEMKeyPair
                || item instanceof PKCS8EncryptedPrivateKeyInfo || item instanceof PEMEncryptedKeyPair;
    }

    private static List<Object> readPem(Path file, String option) throws BadTlsFilesException {
        List<Object> items = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(reader)) {
            for (Object item = pem.readObject(); item != null; item = pem.readObject()) {
                items.add(item);
            }
        } catch (NoSuchFileException e) {
            throw new BadTlsFilesException(option + " " + file + ": no such file", e);
        } catch (IOException | RuntimeException e) {
            // BouncyCastle reports broken PEM content as IOExceptions and, for some damage, runtime exceptions.
            throw new BadTlsFilesException(option + " " + file + " is not a readable PEM file: " + e.getMessage(), e);
        }
        return items;
    }

    /** Returns true if {@code key} signs what the certificate's public key verifies: the two are one pair. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        if (!key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
            return false;
        }
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = "synced-folder key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
