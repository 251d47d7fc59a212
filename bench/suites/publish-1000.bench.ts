// publish among 1000 wildcard subscriptions: see ../wildcard.ts
import { publishSuite } from "../wildcard";

publishSuite(1000);
