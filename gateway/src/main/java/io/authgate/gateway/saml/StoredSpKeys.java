package io.authgate.gateway.saml;

import io.authgate.core.crypto.SecretBoxException;
import io.authgate.core.idps.PemKeys;
import io.authgate.core.idps.SpKeyPair;
import io.authgate.core.idps.SpKeyStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Map;
import org.opensaml.security.x509.BasicX509Credential;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SP's keys when no key files are configured and a store exists: kept in {@code sp_keys},
 * private keys sealed under the master key ({@link SpKeyStore}), so every gateway on the store
 * uses the same keys. The first gateway to start without any stores a pair: the one an earlier
 * version generated under the data directory, else a fresh RSA-3072 pair; a gateway that loses
 * that race uses the winner's. Stateless and thread-safe.
 */
public final class StoredSpKeys {
  private static final Logger LOG = LoggerFactory.getLogger(StoredSpKeys.class);

  private StoredSpKeys() {}

  /**
   * @param vertx runs key generation and parsing on a worker
   * @param store the stored keys
   * @param dataDir where an earlier version kept its generated pair ({@link SpCredentials#GENERATED_KEY})
   * @return the SP's credentials: the stored signing pair, and the encryption pair (the signing one when none is stored)
   */
  public static Future<SpCredentials> load(Vertx vertx, SpKeyStore store, Path dataDir) {
    return store.load().recover(e -> Future.failedFuture(e instanceof SecretBoxException
        ? new IllegalStateException("the SAML SP keys in the store cannot be opened (" + e.getMessage()
            + "): set store.masterKey to the same value on every process sharing the store") : e)).compose(pairs -> {
      if (pairs.containsKey(SpKeyStore.SIGNING)) {
        return Future.succeededFuture(pairs);
      }
      return vertx.executeBlocking(() -> initial(dataDir), false)
          .compose(pair -> store.insertGenerated(SpKeyStore.SIGNING, pair[1], pair[0]))
          .compose(v -> store.load());
    }).compose(pairs -> vertx.executeBlocking(() -> credentials(pairs), false));
  }

  /** @return {private key PEM, certificate PEM}: the pair found under {@code dataDir}, else a fresh one */
  private static String[] initial(Path dataDir) {
    Path key = dataDir.resolve(SpCredentials.GENERATED_KEY);
    Path cert = dataDir.resolve(SpCredentials.GENERATED_CERT);
    BasicX509Credential credential;
    if (Files.isReadable(key) && Files.isReadable(cert)) {
      credential = SpCredentials.read(key, cert);
      LOG.info("SAML SP keys: storing the pair found in {} (sealed under the master key)", dataDir);
    } else {
      credential = SpCredentials.generateCredential("CN=authgate SAML SP");
      LOG.info("SAML SP keys: generated a new pair, stored sealed under the master key");
    }
    try {
      return new String[] {PemKeys.pem("PRIVATE KEY", credential.getPrivateKey().getEncoded()),
          PemKeys.pem("CERTIFICATE", credential.getEntityCertificate().getEncoded())};
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode the SAML SP certificate", e);
    }
  }

  private static SpCredentials credentials(Map<String, SpKeyPair> pairs) {
    BasicX509Credential signing = credential(pairs.get(SpKeyStore.SIGNING));
    SpKeyPair encryption = pairs.get(SpKeyStore.ENCRYPTION);
    return new SpCredentials(signing, encryption == null ? signing : credential(encryption));
  }

  private static BasicX509Credential credential(SpKeyPair pair) {
    X509Certificate certificate = PemKeys.certificate(pair.certificatePem());
    try {
      String der = pair.privateKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      PrivateKey key = KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
          .generatePrivate(new PKCS8EncodedKeySpec(java.util.Base64.getDecoder().decode(der)));
      return SpCredentials.credential(certificate, key);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("the stored SAML SP " + pair.usage() + " key cannot be read");
    }
  }
}
