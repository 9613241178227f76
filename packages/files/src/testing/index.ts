export * from './heap-sampling';
export * from './s3-test-server';
