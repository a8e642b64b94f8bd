package io.syncedfolder.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a self-signed certificate and its key for a server that has no certificate from an authority: an EC
 * P-256 key, valid for two years, for {@code localhost}, {@code 127.0.0.1} and the host names or addresses given.
 * Clients trust it by its fingerprint ({@code --server-fingerprint}), not through an authority.
 */
public final class SelfSignedCertificate {
    public static final String CERT_FILE = "cert.pem";
    public static final String KEY_FILE = "key.pem";
    static final Duration VALIDITY = Duration.ofDays(2 * 365 + 1);
    private static final List<String> ALWAYS = List.of("localhost", "127.0.0.1");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private SelfSignedCertificate() {
    }

    /** The two files written, the certificate's fingerprint, the names it is valid for and until when. */
    public record Written(Path certFile, Path keyFile, String fingerprint, List<String> names, Instant notAfter) {
        public Written {
            names = List.copyOf(names);
        }
    }

    /**
     * Writes {@value #CERT_FILE} and {@value #KEY_FILE} (readable by the owner only) into {@code dir}, creating it
     * if missing; never overwrites either file.
     *
     * @param hosts extra names (DNS names or IP addresses) clients may use to reach the server
     * @throws FileAlreadyExistsException if either file is already there (nothing is written then)
     */
    public static Written write(Path dir, List<String> hosts, Instant now) throws IOException {
        Set<String> names = new LinkedHashSet<>(ALWAYS);
        for (String host : hosts) {
            String name = host.strip();
            if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c == '/' || c == ',')) {
                throw new IllegalArgumentException("'" + host + "' is not a host name or address");
            }
            names.add(name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name);
        }
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        for (Path existing : List.of(certFile, keyFile)) {
            if (Files.exists(existing)) {
                throw new FileAlreadyExistsException(existing.toString(), null,
                        "it is already there; move it away or choose another --out folder");
            }
        }
        KeyPair keys = newKeyPair();
        X509Certificate certificate = sign(keys, List.copyOf(names), now);
        Files.createDirectories(dir);
        writeOwnerOnly(keyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
        try {
            Files.writeString(certFile, pem(certificate), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            Files.deleteIfExists(keyFile);
            throw e;
        }
        return new Written(certFile, keyFile, TlsIdentity.fingerprint(certificate), List.copyOf(names),
                certificate.getNotAfter().toInstant());
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot make EC P-256 keys", e);
        }
    }

    private static X509Certificate sign(KeyPair keys, List<String> names, Instant now) throws IOException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, names.get(names.size() > ALWAYS.size() ? ALWAYS.size() : 0))
                .addRDN(BCStyle.O, "Synced Folder (self-signed)")
                .build();
        List<GeneralName> alternatives = new ArrayList<>();
        for (String name : names) {
            boolean address = IPV4.matcher(name).matches() || name.contains(":");
            alternatives.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, name));
        }
        BigInteger serial = new BigInteger(127, new SecureRandom());
        // Backdated an hour, so a client whose clock is a little behind does not see a certificate from the future.
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(alternatives.toArray(new GeneralName[0])));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate with a key just made", e);
        }
    }

    private static String pem(Object item) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(item);
        }
        return text.toString();
    }

    /** Creates {@code file} with mode 600 from the start, so the key is never readable by others, even briefly. */
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system (Windows): the folder's access rules apply
        }
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.WRITE)) {
            writer.write(content);
        }
    }
}
