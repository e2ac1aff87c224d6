package io.deltasql.core.storage.s3;

import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StorageContract;
import io.deltasql.core.testing.S3TestServer;

/**
 * The storage contract on S3: S3Proxy on loopback behind the tests' gateway (which honours
 * conditional writes), with 5 MiB parts from 5 MiB up, so that the large objects (12 MiB) go
 * up in three parts.
 */
class S3StorageContractTest extends StorageContract {
  static final int PART = S3StorageConfig.MIN_PART_SIZE;

  @Override
  protected Storage openStorage() {
    S3TestServer server = S3TestServer.get();
    return S3Storage.open(server.config()
        .with(S3Property.MULTIPART_THRESHOLD, String.valueOf(PART))
        .with(S3Property.PART_SIZE, String.valueOf(PART)), server.newBucket("contract") + "/probe");
  }

  @Override
  protected String newRoot() {
    return S3TestServer.get().newBucket("contract") + "/warehouse";
  }

  @Override
  protected int largeObjectSize() {
    return 12 * 1024 * 1024;
  }
}
