// 40000 members join, then leave in random order: see ../leave.ts
import { leaveSuite } from "../leave";

leaveSuite(40000);
