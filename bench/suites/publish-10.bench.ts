// publish among 10 wildcard subscriptions: see ../wildcard.ts
import { publishSuite } from "../wildcard";

publishSuite(10);
