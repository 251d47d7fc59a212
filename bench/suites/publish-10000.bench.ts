// publish among 10000 wildcard subscriptions: see ../wildcard.ts
import { publishSuite } from "../wildcard";

publishSuite(10000);
