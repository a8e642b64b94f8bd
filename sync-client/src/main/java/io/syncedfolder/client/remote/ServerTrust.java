package io.syncedfolder.client.remote;

import io.syncedfolder.common.CertificateFingerprint;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides which server certificates an HTTPS connection accepts: by default those the system's certificate
 * authorities vouch for; with a pinned fingerprint exactly the one certificate with that SHA-256, whoever signed
 * it and whatever names it lists. Either way a refusal carries the fingerprint of what the server presented, so
 * the user can compare it with the one the server printed at start-up.
 */
final class ServerTrust {
    private final X509ExtendedTrustManager trustManager;
    private final SSLSocketFactory socketFactory;
    private final boolean pinned;

    private ServerTrust(X509ExtendedTrustManager trustManager, boolean pinned) {
        this.trustManager = trustManager;
        this.pinned = pinned;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            this.socketFactory = context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime offers no TLS", e);
        }
    }

    /** Trusts what the system's certificate authorities trust (the JDK's default trust store). */
    static ServerTrust system() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager system) {
                    return new ServerTrust(new Explaining(system), false);
                }
            }
            throw new IllegalStateException("this Java runtime has no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read this Java runtime's trusted certificate authorities", e);
        }
    }

    /** Trusts exactly the certificate whose fingerprint is {@code fingerprint} (as {@link CertificateFingerprint}). */
    static ServerTrust pinned(String fingerprint) {
        return new ServerTrust(new Pinned(CertificateFingerprint.parse(fingerprint)), true);
    }

    X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    /**
     * True if the certificate is pinned: then its names need not match the host, since its hash identifies it
     * more strictly than any name could.
     */
    boolean pinned() {
        return pinned;
    }

    private static String fingerprint(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        try {
            return CertificateFingerprint.of(chain[0].getEncoded());
        } catch (CertificateEncodingException e) {
            throw new CertificateException("the server's certificate cannot be read", e);
        }
    }

    /** The server presented a certificate other than the pinned one. */
    static final class PinMismatchException extends CertificateException {
        private final String presented;
        private final String pinned;

        PinMismatchException(String presented, String pinned) {
            super("the server's certificate " + presented + " is not the pinned " + pinned);
            this.presented = presented;
            this.pinned = pinned;
        }

        String presented() {
            return presented;
        }

        String pinned() {
            return pinned;
        }
    }

    /** The system's certificate authorities do not vouch for the server's certificate (e.g. it is self-signed). */
    static final class UntrustedCertificateException extends CertificateException {
        private final String presented;

        UntrustedCertificateException(String presented, CertificateException cause) {
            super("the server's certificate " + presented + " is not trusted: " + cause.getMessage(), cause);
            this.presented = presented;
        }

        String presented() {
            return presented;
        }
    }

    /** Accepts the server's certificate if and only if its SHA-256 is the pinned one; trusts no client. */
    private static final class Pinned extends X509ExtendedTrustManager {
        private final String fingerprint;

        Pinned(String fingerprint) {
            this.fingerprint = fingerprint;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            String presented = fingerprint(chain);
            if (!presented.equals(fingerprint)) {
                throw new PinMismatchException(presented, fingerprint);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the sync client accepts no connections");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** The system's trust manager, unchanged, except that a refusal names the certificate's fingerprint. */
    private static final class Explaining extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager system;

        Explaining(X509ExtendedTrustManager system) {
            this.system = system;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            explained(chain, () -> system.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            explained(chain, () -> system.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            explained(chain, () -> system.checkServerTrusted(chain, authType, engine));
        }

        /** Runs a check of the system's, naming the certificate's fingerprint if it refuses. */
        private static void explained(X509Certificate[] chain, Check check) throws CertificateException {
            try {
                check.run();
            } catch (CertificateException e) {
                throw new UntrustedCertificateException(fingerprint(chain), e);
            }
        }

        private interface Check {
            void run() throws CertificateException;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            system.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            system.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            system.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return system.getAcceptedIssuers();
        }
    }
}
