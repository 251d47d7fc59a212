// async notify fan-out to 100 observers: see ../async.ts
import { asyncSuite } from "../async";

asyncSuite();
